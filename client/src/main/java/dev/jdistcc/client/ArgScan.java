package dev.jdistcc.client;

import dev.jdistcc.protocol.SourceNames;
import java.util.ArrayList;
import java.util.List;

/**
 * distcc's dcc_scan_args (reference §2.4): decides whether a compiler command line can be distributed,
 * and finds its input and output. The options that force a local run are a table, in the order distcc
 * checks them.
 */
public final class ArgScan {

    /** How a {@link LocalOption} matches an argument. */
    enum Match { EXACT, PREFIX, ASSEMBLER_OUTPUT }

    /**
     * The options that force a local run, as a table. An enum rather than a list of lambdas: each lambda
     * costs a per-job JVM a bootstrap and a hidden class.
     */
    enum LocalOption {
        MARCH_NATIVE(Match.EXACT, "-march=native", "-march=native generates code for local machine; must be local"),
        MTUNE_NATIVE(Match.EXACT, "-mtune=native", "-mtune=native optimizes for local machine; must be local"),
        ASSEMBLER_FILES(Match.ASSEMBLER_OUTPUT, "-Wa,", "assembler options produce output files; must be local"),
        SPECS(Match.PREFIX, "-specs=", "-specs= must be local"),
        PREPROCESS_ONLY(Match.EXACT, "-E", "-E call for cpp must be local"),
        LTO(Match.EXACT, "-flto", "link-time optimization is not worth distributing"),
        PROFILE_ARCS(Match.EXACT, "-fprofile-arcs", "compiler will emit profile info; must be local"),
        TEST_COVERAGE(Match.EXACT, "-ftest-coverage", "compiler will emit profile info; must be local"),
        COVERAGE(Match.EXACT, "--coverage", "compiler will emit profile info; must be local"),
        PROFILE_GENERATE(Match.PREFIX, "-fprofile-generate", "compiler will emit profile info; must be local"),
        PROFILE_USE(Match.PREFIX, "-fprofile-use", "compiler will emit profile info; must be local"),
        AUTO_PROFILE(Match.PREFIX, "-fauto-profile", "compiler will emit profile info; must be local"),
        PROFILE_CORRECTION(Match.EXACT, "-fprofile-correction", "compiler will emit profile info; must be local"),
        REPO(Match.EXACT, "-frepo", "compiler will emit .rpo files; must be local"),
        RTL_DUMPS(Match.PREFIX, "-dr", "gcc's debug option may write extra files; running locally");

        final Match match;
        final String option;
        final String reason;

        LocalOption(Match match, String option, String reason) {
            this.match = match;
            this.option = option;
            this.reason = reason;
        }

        boolean matches(String a) {
            return switch (match) {
                case EXACT -> a.equals(option);
                case PREFIX -> a.startsWith(option);
                case ASSEMBLER_OUTPUT -> a.startsWith(option) && (a.contains(",-a") || a.contains("--MD"));
            };
        }

        /** Only -E runs in the local cpp slot pool. */
        boolean cpp() {
            return this == PREPROCESS_ONLY;
        }
    }

    private static final LocalOption[] LOCAL_OPTIONS = LocalOption.values();

    private ArgScan() {
    }

    /** -x LANG is distributable only for the languages distcc knows (the joined -xLANG form never is). */
    static boolean distributableLanguage(String next) {
        return next != null && (next.startsWith("c") || next.startsWith("objective-c") || next.startsWith("go"));
    }

    /** The first argument that names a source file (for messages about jobs that run locally), or null. */
    public static String firstSource(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-o") || a.equals("-MF") || a.equals("-MT") || a.equals("-MQ")) {
                i++;
            } else if (!a.startsWith("-") && SourceNames.isSource(a)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Scans argv (compiler name first, after {@code @file} and {@code -Wp,} expansion).
     *
     * @throws IllegalArgumentException when argv[0] is an option (distcc: "unrecognized distcc option", exit 101)
     */
    public static ScanResult scan(List<String> argv) {
        if (argv.isEmpty() || argv.getFirst().startsWith("-")) {
            throw new IllegalArgumentException("unrecognized distcc option: " + (argv.isEmpty() ? "" : argv.getFirst()));
        }
        boolean seenC = false;
        boolean seenS = false;
        String input = null;
        String output = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            String candidateOutput = null;
            if (a.startsWith("-")) {
                for (LocalOption r : LOCAL_OPTIONS) {
                    if (r.matches(a)) {
                        return new ScanResult.Local(r.reason, r.cpp());
                    }
                }
                if (a.equals("-MD") || a.equals("-MMD") || a.equals("-MG") || a.equals("-MP")) {
                    continue;
                } else if (a.equals("-MF") || a.equals("-MT") || a.equals("-MQ")) {
                    i++;
                    continue;
                } else if (a.startsWith("-MF") || a.startsWith("-MT") || a.startsWith("-MQ")) {
                    continue;
                } else if (a.startsWith("-M")) {
                    return new ScanResult.Local(a + " implies -E (maybe) and must be local", false);
                } else if (a.startsWith("-x")) {
                    if (!distributableLanguage(i + 1 < argv.size() ? argv.get(i + 1) : null) || a.length() > 2) {
                        return new ScanResult.Local("gcc's -x handling is complex; running locally", false);
                    }
                    continue;
                } else if (a.equals("-S")) {
                    seenS = true;
                } else if (a.equals("-c")) {
                    seenC = true;
                } else if (a.equals("-o")) {
                    if (++i >= argv.size()) {
                        return new ScanResult.Local("-o without a file name", false);
                    }
                    candidateOutput = argv.get(i);
                } else if (a.startsWith("-o")) {
                    candidateOutput = a.substring(2);
                }
            } else if (SourceNames.isSource(a)) {
                if (input != null) {
                    return new ScanResult.Local("do we have two inputs?  i give up", false);
                }
                input = a;
            } else if (a.endsWith(".o")) {
                candidateOutput = a;
            }
            if (candidateOutput != null) {
                if (output != null) {
                    return new ScanResult.Local("called for link?  i give up", false);
                }
                output = candidateOutput;
            }
        }
        return finish(argv, seenC, seenS, input, output);
    }

    private static ScanResult finish(List<String> argv, boolean seenC, boolean seenS, String input, String output) {
        if (!seenC && !seenS) {
            return new ScanResult.Local("compiler apparently called not for compile", false);
        }
        if (input == null) {
            return new ScanResult.Local("no visible input file", false);
        }
        String base = SourceNames.basename(input);
        if (base.startsWith("conftest.") || base.startsWith("tmp.conftest.")) {
            return new ScanResult.Local("autoconf tests are run locally: " + input, false);
        }
        List<String> withOutput = argv;
        boolean given = output != null;
        if (!given) {
            output = FileNames.defaultOutput(input, seenS ? ".s" : ".o");
            withOutput = new ArrayList<>(argv);
            withOutput.add("-o");
            withOutput.add(output);
        }
        if (output.equals("-")) {
            return new ScanResult.Local("output to stdout?  running locally", false);
        }
        return new ScanResult.Distributable(input, output, given, withOutput);
    }
}
