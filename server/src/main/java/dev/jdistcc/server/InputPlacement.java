package dev.jdistcc.server;

import dev.jdistcc.protocol.SourceNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the preprocessed input of a protocol 1/2 job is written, and under which name the compiler sees it.
 *
 * <p>Without {@code -x}, gcc takes the object's file names (the STT_FILE symbol, DW_AT_name, DW_AT_comp_dir)
 * from cpp's line markers, so the input's own name does not matter; it is {@code <stem>.i} (or .ii, ...)
 * in the job's work directory, and the object is byte-identical to a stock server's and a local compile.
 *
 * <p>With {@code -x c} (and other explicit languages), gcc preprocesses the text again and names the object
 * after the input file itself: distccd 3.4 thus leaks its random {@code distccd_XXXXXXXX.i} into every object
 * (issue point 20). Here the input keeps the client's path, relative to a work directory (deep enough for its
 * leading {@code ..}), or under a private prefix when absolute, and {@code -fdebug-prefix-map} (left out of
 * DW_AT_producer by gcc) maps the work directory to the client's, read from cpp's working-directory marker.
 * The object is then the one a local {@code gcc -x c -c} makes.
 *
 * @param workDir   the compiler's working directory
 * @param file      where the input is written
 * @param argument  how the input is named on the command line
 * @param extraArgs options appended to the command
 */
record InputPlacement(Path workDir, Path file, String argument, List<String> extraArgs) {
    private static final Pattern CWD_MARKER = Pattern.compile("^# 1 \"(/[^\"\\n]*)//\"$", Pattern.MULTILINE);

    static InputPlacement place(ArgScan scan, byte[] source, Path jobDir) throws IOException {
        String original = scan.input();
        if (!scan.explicitLanguage()) {
            Path work = Files.createDirectory(jobDir.resolve("w"));
            String name = FileNames.replaceExtension(original, SourceNames.preprocessedSuffix(original));
            return write(new InputPlacement(work, work.resolve(name), name, List.of()), source);
        }
        List<String> extra = new ArrayList<>();
        String clientCwd = clientWorkingDirectory(source);
        Path work = jobDir.resolve("w");
        if (original.startsWith("/")) {
            Path abs = jobDir.resolve("a");
            Path file = abs.resolve(original.replaceFirst("^/+", "")).normalize();
            if (!file.startsWith(abs) || file.equals(abs)) {
                return fallback(jobDir, original, source);
            }
            extra.add("-fdebug-prefix-map=" + abs + "=");
            Files.createDirectories(work);
            mapWorkDir(extra, work, clientCwd);
            return write(new InputPlacement(work, file, file.toString(), extra), source);
        }
        for (String part : original.split("/")) {
            if (part.equals("..")) {
                work = work.resolve("d");
            }
        }
        Path file = work.resolve(original).normalize();
        if (!file.startsWith(jobDir.resolve("w")) || file.getFileName().toString().isEmpty()) {
            return fallback(jobDir, original, source);
        }
        Files.createDirectories(work);
        mapWorkDir(extra, work, clientCwd);
        return write(new InputPlacement(work, file, original, extra), source);
    }

    /** A name we cannot mirror safely: keep just the basename, which still gives the right STT_FILE symbol. */
    private static InputPlacement fallback(Path jobDir, String original, byte[] source) throws IOException {
        Path work = Files.createDirectories(jobDir.resolve("w"));
        String name = SourceNames.basename(original);
        return write(new InputPlacement(work, work.resolve(name), name, List.of()), source);
    }

    private static void mapWorkDir(List<String> extra, Path work, String clientCwd) {
        if (clientCwd != null) {
            extra.add("-fdebug-prefix-map=" + work + "=" + clientCwd);
        }
    }

    /** The directory of gcc's {@code # 1 "/dir//"} marker (-fworking-directory, on with -g), or null. */
    static String clientWorkingDirectory(byte[] source) {
        String head = new String(source, 0, Math.min(source.length, 8192), StandardCharsets.UTF_8);
        Matcher m = CWD_MARKER.matcher(head);
        return m.find() ? (m.group(1).isEmpty() ? "/" : m.group(1)) : null;
    }

    private static InputPlacement write(InputPlacement p, byte[] source) throws IOException {
        Files.createDirectories(p.file().getParent());
        Files.write(p.file(), source);
        return p;
    }
}
