package dev.jdistcc.image.plan;

import dev.jdistcc.image.PlanException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads an image plan. The format is line-based, like Java properties but strict:
 * <pre>
 *   # comment
 *   key = value           (the value runs to the end of the line)
 *   key = first \         (a trailing backslash continues the value on the next line,
 *         second            joined with one space)
 * </pre>
 * The first key must be {@code plan = jdistcc-image/1}. Unknown keys, duplicate keys, missing required
 * keys and malformed values are errors that name the key and the line. Lists are whitespace-separated.
 * Relative paths are resolved against the plan file's directory; {@code app.classpath = @file} reads
 * a {@code :}- or whitespace-separated list from {@code file}. {@code overrides} (from {@code --set})
 * replace or add keys before validation, with the same strictness.
 */
public final class PlanParser {

    private record Value(String text, String where) {}

    private static final List<String> KEYS = List.of(
            "plan", "name", "source-date-epoch", "deb.<package>",
            "kernel.package", "kernel.drivers", "rootfs.files",
            "runtime.jdk", "runtime.jdk-version", "runtime.modules", "runtime.jdeps-ignore", "app.classpath",
            "init.command", "init.user", "init.uid", "init.port", "init.hostname", "init.restart-delay",
            "boot.cmdline", "boot.timeout", "boot.packages", "boot.efi", "outputs", "compression.level");

    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Path baseDir;

    private PlanParser(Path baseDir) {
        this.baseDir = baseDir;
    }

    public static ImagePlan parse(Path file, Map<String, String> overrides) throws PlanException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PlanException("cannot read plan " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, file.toString(), overrides);
    }

    public static ImagePlan parse(String text, Path baseDir, String source, Map<String, String> overrides)
            throws PlanException {
        PlanParser p = new PlanParser(baseDir);
        p.readLines(text, source);
        for (var o : new TreeMap<>(overrides).entrySet()) {
            p.checkKnown(o.getKey(), "--set " + o.getKey());
            p.values.put(o.getKey(), new Value(o.getValue().trim(), "--set " + o.getKey()));
        }
        return p.build();
    }

    private void readLines(String text, String source) throws PlanException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                if (++i >= lines.length) {
                    throw new PlanException(source + ":" + lineNo + ": continuation '\\' at end of file");
                }
                line = lines[i].strip();
            }
            logical.append(line);
            String where = source + ":" + lineNo;
            int eq = logical.indexOf("=");
            if (eq <= 0) {
                throw new PlanException(where + ": expected 'key = value', got '" + logical + "'");
            }
            String key = logical.substring(0, eq).strip();
            String value = logical.substring(eq + 1).strip().replaceAll("\\s+", " ");
            if (values.isEmpty() && !key.equals("plan")) {
                throw new PlanException(where + ": the first key must be 'plan = " + ImagePlan.FORMAT + "'");
            }
            checkKnown(key, where);
            Value previous = values.putIfAbsent(key, new Value(value, where));
            if (previous != null) {
                throw new PlanException(where + ": duplicate key '" + key + "' (first set at " + previous.where() + ")");
            }
        }
    }

    private void checkKnown(String key, String where) throws PlanException {
        boolean known = KEYS.contains(key) || (key.startsWith("deb.") && key.length() > 4);
        if (!known) {
            throw new PlanException(where + ": unknown key '" + key + "' (known keys: " + String.join(", ", KEYS) + ")");
        }
    }

    private ImagePlan build() throws PlanException {
        String format = required("plan");
        if (!format.equals(ImagePlan.FORMAT)) {
            throw new PlanException(where("plan") + ": unsupported plan format '" + format
                    + "'; this builder reads '" + ImagePlan.FORMAT + "'");
        }
        Map<String, DebPin> debs = new TreeMap<>();
        for (var e : values.entrySet()) {
            if (e.getKey().startsWith("deb.")) {
                String name = e.getKey().substring(4);
                debs.put(name, convert(e.getKey(), v -> DebPin.parse(name, v)));
            }
        }
        String kernelPackage = required("kernel.package");
        if (!debs.containsKey(kernelPackage)) {
            throw new PlanException(where("kernel.package") + ": kernel.package '" + kernelPackage
                    + "' has no 'deb." + kernelPackage + " = <version> sha256:<digest>' pin");
        }
        return new ImagePlan(
                matching("name", null, "[a-z0-9][a-z0-9._-]{0,31}"),
                number("source-date-epoch", null, 0, Long.MAX_VALUE),
                debs,
                new ImagePlan.Kernel(kernelPackage, list("kernel.drivers", true)),
                new ImagePlan.RootFs(absolutePaths("rootfs.files")),
                new ImagePlan.Runtime(path(required("runtime.jdk")), required("runtime.jdk-version"),
                        list("runtime.modules", true), list("runtime.jdeps-ignore", false)),
                new ImagePlan.App(classpath()),
                new ImagePlan.Init(required("init.command"), matching("init.user", "distcc", "[a-z_][a-z0-9_-]{0,30}"),
                        (int) number("init.uid", 1000L, 1, 65533), (int) number("init.port", 3632L, 1, 65535),
                        matching("init.hostname", "jdistcc", "[a-z0-9][a-z0-9-]{0,62}"), (int) number("init.restart-delay", 5L, 1, 3600)),
                new ImagePlan.Boot(optional("boot.cmdline", "console=tty0 console=ttyS0,115200 quiet"),
                        (int) number("boot.timeout", 5L, 0, 600), pinned("boot.packages", debs),
                        matching("boot.efi", "grub", "grub|shim")),
                list("outputs", true),
                (int) number("compression.level", 19L, 1, 19));
    }

    private String where(String key) {
        Value v = values.get(key);
        return v == null ? "plan" : v.where();
    }

    private String required(String key) throws PlanException {
        Value v = values.get(key);
        if (v == null || v.text().isEmpty()) {
            throw new PlanException("plan: required key '" + key + "' is missing or empty");
        }
        return v.text();
    }

    /** The value of {@code key} (or {@code fallback}; null means required), checked against {@code regex}. */
    private String matching(String key, String fallback, String regex) throws PlanException {
        String v = fallback == null ? required(key) : optional(key, fallback);
        if (!v.matches(regex)) {
            throw new PlanException(where(key) + ": bad value for '" + key + "': '" + v + "' does not match " + regex);
        }
        return v;
    }

    private String optional(String key, String fallback) {
        Value v = values.get(key);
        return v == null ? fallback : v.text();
    }

    private long number(String key, Long fallback, long min, long max) throws PlanException {
        String text = fallback == null ? required(key) : optional(key, fallback.toString());
        long n = convert(key, Long::parseLong, text);
        if (n < min || n > max) {
            throw new PlanException(where(key) + ": '" + key + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private List<String> list(String key, boolean required) throws PlanException {
        String text = required ? required(key) : optional(key, "");
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(" "));
    }

    private List<String> pinned(String key, Map<String, DebPin> debs) throws PlanException {
        List<String> names = list(key, false);
        for (String n : names) {
            if (!debs.containsKey(n)) {
                throw new PlanException(where(key) + ": '" + key + "' names " + n + ", which has no 'deb." + n + "' pin");
            }
        }
        return names;
    }

    private List<String> absolutePaths(String key) throws PlanException {
        List<String> files = list(key, true);
        for (String f : files) {
            if (!f.startsWith("/") || f.contains("/../") || f.endsWith("/..")) {
                throw new PlanException(where(key) + ": '" + key + "' entries must be absolute paths, got '" + f + "'");
            }
        }
        return files;
    }

    private List<Path> classpath() throws PlanException {
        String text = required("app.classpath");
        if (!text.startsWith("@")) {
            List<Path> out = new ArrayList<>();
            for (String entry : text.split(" ")) {
                out.add(path(entry));
            }
            return out;
        }
        Path listFile = path(text.substring(1));
        try {
            List<Path> out = new ArrayList<>();
            for (String entry : Files.readString(listFile).strip().split("[:\\s]+")) {
                if (!entry.isEmpty()) {
                    out.add(listFile.getParent().resolve(entry).normalize());
                }
            }
            return out;
        } catch (IOException e) {
            throw new PlanException(where("app.classpath") + ": cannot read classpath list " + listFile
                    + " (for the example plans, build it with ./mvnw -pl image -am test-compile)", e);
        }
    }

    private Path path(String text) {
        return baseDir.resolve(text).normalize();
    }

    private <T> T convert(String key, Function<String, T> parser) throws PlanException {
        return convert(key, parser, values.get(key).text());
    }

    private <T> T convert(String key, Function<String, T> parser, String text) throws PlanException {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new PlanException(where(key) + ": bad value for '" + key + "': " + e.getMessage(), e);
        }
    }
}
