package dev.jdistcc.client;

import dev.jdistcc.protocol.SourceNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Partial preprocessing: the local cpp of a distributed gcc job handles only the directives
 * ({@code gcc -E -fdirectives-only}: includes, conditionals, macro definitions) and the volunteer expands the
 * macros ({@code -fdirectives-only} on a preprocessed input). On kernel sources this is about a quarter of a
 * full {@code -E}'s CPU, which is most of the client's work per job; the volunteer does the rest.
 *
 * <p>{@code JDISTCC_CPP} chooses: {@code auto} (the default) uses it where it pays ({@link #pays}: large
 * translation units) and the object stays byte-identical to a local compile's: gcc (not clang), C or C++
 * source, and no option that records the command line in the object
 * (debug info with gcc's default {@code -grecord-gcc-switches}, {@code -frecord-gcc-switches}, LTO,
 * {@code -fverbose-asm}) or that gcc's directives-only mode is known to handle differently ({@code -pedantic},
 * {@code -traditional-cpp}, {@code -C}, {@code -dD}, {@code -Wunused-macros}, modules). {@code partial} also
 * allows the options that only change what the object records of the command line; {@code full} never uses it.
 * Whatever the mode, a partial cpp that fails, or whose output names {@code __DATE__}/{@code __TIME__} (the
 * volunteer's clock must not expand them), is replaced by a full one.
 */
public final class PartialCpp {
    /** The {@code JDISTCC_CPP} setting. */
    public enum Mode {
        AUTO, FULL, PARTIAL;

        /** Parses {@code JDISTCC_CPP} (unset: {@link #AUTO}). */
        public static Mode of(String value) throws ClientEnv.BadSetting {
            if (value == null || value.isEmpty()) {
                return AUTO;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "full" -> FULL;
                case "partial" -> PARTIAL;
                default -> throw new ClientEnv.BadSetting("JDISTCC_CPP must be auto, full or partial, not \"" + value
                        + "\"");
            };
        }
    }

    /** The option both the local cpp and the server's compiler get. */
    public static final String OPTION = "-fdirectives-only";

    /** The compilers it applies to, by the file name the driver resolves to: gcc, g++, cc, c++, cross or versioned. */
    private static final Pattern GCC = Pattern.compile("(?:.*-)?(?:gcc|g\\+\\+|cc|c\\+\\+)(?:-[0-9][0-9.]*)?");
    private static final Set<String> C_FAMILY = Set.of("c", "cc", "cpp", "cxx", "cp", "c++", "C");
    private static final Set<String> LANGUAGES = Set.of("c", "c++");
    /** Options gcc's directives-only mode handles differently from a full -E (icecream's list, and ours). */
    private static final Set<String> NEVER = Set.of("-traditional", "-traditional-cpp", "-C", "-CC", "-pedantic",
            "-pedantic-errors", "-Wpedantic", "-Werror=pedantic", "-Wunused-macros", "-fpch-preprocess", "-save-temps",
            OPTION);
    /** Options that write the command line (and so the added option) into the object. */
    private static final Set<String> RECORDS = Set.of("-frecord-gcc-switches", "-fverbose-asm");

    private static final Map<Path, Boolean> GCC_DRIVERS = new ConcurrentHashMap<>();

    /**
     * From this size of cpp output up (the recent outputs of a kind of job, on average) a partial cpp pays.
     * Measured: on kernel sources (3-4 MB each) it costs a quarter of a full one, on realistic.cpp (1.5 MB,
     * libstdc++) 40%; on lua's files (0.1 MB) 83%, and on hello.c (18 KB) as much or more, while its output is
     * three times the full one's (the comments and macro definitions travel), so there a full cpp is better.
     */
    public static final long PAYS_FROM_BYTES = 512 * 1024;
    /** Recent cpp output sizes per kind of job (an EWMA, weight 1/4), in a resident process. */
    private static final Map<String, Long> RECENT_BYTES = new ConcurrentHashMap<>();

    private PartialCpp() {
    }

    /**
     * Whether this job's cpp may be partial.
     *
     * @param argv     the expanded compiler command line
     * @param input    the job's source file
     * @param compiler the executable the compiler name resolves to, or null if unknown
     */
    public static boolean applies(Mode mode, List<String> argv, String input, Path compiler) {
        if (mode == Mode.FULL || compiler == null || !isGcc(compiler) || !language(argv, input)) {
            return false;
        }
        boolean debug = false;
        boolean recordSwitches = true;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (NEVER.contains(a) || a.startsWith("-fmodule") || a.startsWith("-save-temps=")
                    || a.length() > 2 && a.startsWith("-d") && a.substring(2).chars().allMatch(PartialCpp::dumpLetter)) {
                return false;
            }
            if (a.equals("-grecord-gcc-switches")) {
                recordSwitches = true;
            } else if (a.equals("-gno-record-gcc-switches")) {
                recordSwitches = false;
            } else if (a.startsWith("-g")) {
                debug = debugLevel(a, debug);
            } else if (mode == Mode.AUTO && (RECORDS.contains(a) || a.startsWith("-flto") && !a.equals("-flto=none"))) {
                return false;
            } else if (a.equals("-x") || a.equals("-include") || a.equals("-imacros") || a.equals("-o")) {
                i++;
            }
        }
        return mode == Mode.PARTIAL || !(debug && recordSwitches);
    }

    /** The kind of job whose cpp outputs are averaged: one compiler driver in one directory (a build target). */
    public static String kind(Path compiler, Path cwd) {
        return compiler + "\0" + cwd;
    }

    /**
     * For a job that {@link #applies}: whether to run the partial cpp. {@link Mode#PARTIAL} always does;
     * {@link Mode#AUTO} once the recent cpp outputs of this kind average {@link #PAYS_FROM_BYTES} or more (the
     * first job of a kind runs a full cpp and is measured).
     */
    public static boolean pays(Mode mode, String kind) {
        if (mode == Mode.PARTIAL) {
            return true;
        }
        Long recent = RECENT_BYTES.get(kind);
        return mode == Mode.AUTO && recent != null && recent >= PAYS_FROM_BYTES;
    }

    /** Records the size of a cpp output (partial or full) of this kind of job. */
    public static void observed(String kind, long bytes) {
        if (RECENT_BYTES.size() > 4096) {
            RECENT_BYTES.clear();
        }
        RECENT_BYTES.merge(kind, bytes, (old, now) -> (3 * old + now) / 4);
    }

    /** {@code argv} with {@link #OPTION} after the compiler's name. */
    public static List<String> withOption(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size() + 1);
        out.add(argv.getFirst());
        out.add(OPTION);
        out.addAll(argv.subList(1, argv.size()));
        return out;
    }

    /** Whether this {@code -g...} option leaves debug information on: the last level wins, 0 turns it off. */
    private static boolean debugLevel(String a, boolean before) {
        if (a.startsWith("-gno-") || a.startsWith("-gz") || a.startsWith("-gsplit-dwarf") || a.startsWith("-gcolumn-info")
                || a.startsWith("-gstrict-dwarf") || a.startsWith("-ginline-points") || a.startsWith("-gstatement-frontiers")
                || a.startsWith("-gvariable-location-views") || a.startsWith("-gas-") || a.startsWith("-gdescribe-dies")
                || a.startsWith("-gpubnames") || a.startsWith("-ggnu-pubnames") || a.startsWith("-gdwarf64")
                || a.startsWith("-gdwarf32") || a.startsWith("-ginternal-reset-location-views")) {
            return before;
        }
        return !a.endsWith("0") || a.startsWith("-gdwarf-");
    }

    private static boolean dumpLetter(int c) {
        return c == 'D' || c == 'M' || c == 'N' || c == 'I' || c == 'U';
    }

    /** C or C++ by the last {@code -x} before the input, else by the input's suffix. */
    private static boolean language(List<String> argv, String input) {
        String lang = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals(input)) {
                break;
            }
            if (a.equals("-x") && i + 1 < argv.size()) {
                lang = argv.get(++i);
            } else if (a.startsWith("-x") && a.length() > 2) {
                lang = a.substring(2);
            }
        }
        if (lang != null && !lang.equals("none")) {
            return LANGUAGES.contains(lang);
        }
        String ext = SourceNames.extension(input);
        return ext != null && C_FAMILY.contains(ext);
    }

    /**
     * Whether the driver is gcc: the name it resolves to (cc and c++ are links to gcc or clang). Remembered
     * per path for a resident process; a stale answer only costs a failed partial cpp, replaced by a full one.
     */
    static boolean isGcc(Path compiler) {
        Boolean known = GCC_DRIVERS.get(compiler);
        if (known == null) {
            if (GCC_DRIVERS.size() > 256) {
                GCC_DRIVERS.clear();
            }
            known = resolvesToGcc(compiler);
            GCC_DRIVERS.put(compiler, known);
        }
        return known;
    }

    private static boolean resolvesToGcc(Path compiler) {
        Path real;
        try {
            real = compiler.toRealPath();
        } catch (IOException e) {
            return false;
        }
        String name = real.getFileName().toString();
        return !name.contains("clang") && GCC.matcher(name).matches();
    }
}
