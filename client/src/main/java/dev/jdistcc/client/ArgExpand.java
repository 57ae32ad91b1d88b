package dev.jdistcc.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two argument rewrites distcc 3.4 applies before scanning (reference §2.3): libiberty's {@code @file}
 * expansion and the splitting of {@code -Wp,} options. Both serve only to understand the command; the local
 * compiler still receives the user's arguments verbatim.
 */
public final class ArgExpand {
    /** libiberty gives up after this many expansions (a file that includes itself). */
    private static final int MAX_EXPANSIONS = 2000;

    private ArgExpand() {
    }

    /**
     * Expands every {@code @file} argument whose file can be read, recursively, like libiberty's expandargv:
     * an unreadable file or a directory leaves the argument as it is. argv[0] is never expanded.
     */
    public static List<String> responseFiles(List<String> argv, Path cwd) {
        List<String> out = new ArrayList<>(argv);
        int expansions = 0;
        for (int i = 1; i < out.size(); i++) {
            String a = out.get(i);
            if (!a.startsWith("@") || a.length() == 1 || expansions >= MAX_EXPANSIONS) {
                continue;
            }
            Path file = cwd.resolve(a.substring(1));
            String text;
            try {
                if (Files.isDirectory(file)) {
                    continue;
                }
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            List<String> words = splitResponseFile(text);
            out.remove(i);
            out.addAll(i, words);
            expansions++;
            i--; // re-examine what was inserted: nested @file works
        }
        return out;
    }

    /**
     * libiberty's buildargv: words split on whitespace; single and double quotes group; a backslash makes
     * the next character literal everywhere, quotes included. Quotes may produce empty words.
     */
    public static List<String> splitResponseFile(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder w = new StringBuilder();
            boolean sq = false;
            boolean dq = false;
            boolean bs = false;
            for (; i < n; i++) {
                char c = text.charAt(i);
                if (isSpace(c) && !sq && !dq && !bs) {
                    break;
                }
                if (bs) {
                    bs = false;
                    w.append(c);
                } else if (c == '\\') {
                    bs = true;
                } else if (sq) {
                    if (c == '\'') sq = false; else w.append(c);
                } else if (dq) {
                    if (c == '"') dq = false; else w.append(c);
                } else if (c == '\'') {
                    sq = true;
                } else if (c == '"') {
                    dq = true;
                } else {
                    w.append(c);
                }
            }
            words.add(w.toString());
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
    }

    /**
     * distcc's dcc_expand_preprocessor_options: each comma-separated item of {@code -Wp,…} becomes its own
     * argument, and {@code -MD,FILE} / {@code -MMD,FILE} become {@code -MD -MF FILE} (no escaped commas).
     */
    public static List<String> preprocessorOptions(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        for (String a : argv) {
            if (!a.startsWith("-Wp,")) {
                out.add(a);
                continue;
            }
            String[] items = a.substring(4).split(",", -1);
            for (int j = 0; j < items.length; j++) {
                out.add(items[j]);
                if ((items[j].equals("-MD") || items[j].equals("-MMD")) && j + 1 < items.length) {
                    out.add("-MF");
                    out.add(items[++j]);
                }
            }
        }
        return out;
    }
}
