package dev.jdistcc.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * distccd's DISTCC_CMDLIST (serve.c dcc_remap_compiler, stringmap.c): a file of full compiler paths, one per
 * line. A requested compiler matches a line when their last {@code words} slash-separated components are
 * equal; the match replaces the compiler with the full line. No match means the job is refused.
 */
public final class CmdList {
    private final List<String> lines;
    private final int words;

    private CmdList(List<String> lines, int words) {
        this.lines = lines;
        this.words = words;
    }

    public static CmdList load(Path file, int words) throws IOException {
        return new CmdList(Files.readAllLines(file, StandardCharsets.UTF_8), Math.max(words, 1));
    }

    /** From DISTCC_CMDLIST and DISTCC_CMDLIST_NUMWORDS, or null when the variable is unset. */
    public static CmdList fromEnvironment(java.util.Map<String, String> env) throws IOException {
        String file = env.get("DISTCC_CMDLIST");
        if (file == null) {
            return null;
        }
        int words = 1;
        String nw = env.get("DISTCC_CMDLIST_NUMWORDS");
        if (nw != null) {
            try {
                words = Integer.parseInt(nw.trim());
            } catch (NumberFormatException e) {
                words = 1;
            }
        }
        return load(Path.of(file), words);
    }

    /** The full command for {@code compiler}, or null when the list has none. */
    public String lookup(String compiler) {
        String key = key(compiler);
        for (String line : lines) {
            if (key(line).equals(key)) {
                return line;
            }
        }
        return null;
    }

    private String key(String s) {
        int seen = 0;
        for (int pos = s.length() - 1; pos > 0; pos--) {
            if (s.charAt(pos) == '/' && ++seen >= words) {
                return s.substring(pos + 1);
            }
        }
        return s;
    }
}
