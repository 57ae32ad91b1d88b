package dev.jdistcc.server;

import dev.jdistcc.protocol.SourceNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's run of distcc's argument scan (reference §1.7 and §2.4, arg.c dcc_scan_args, 3.4 rules):
 * finds the one source and the output, and refuses anything that must run on the client.
 *
 * @param argv         the command with {@code -o FILE} appended when the client sent none
 * @param inputIndex   index in argv of the source argument
 * @param outputIndex  index of the argument holding the output: the value after {@code -o}, or {@code -oFILE}
 * @param joinedOutput true for the {@code -oFILE} form
 * @param explicitLanguage true when a {@code -x} option precedes the source, so gcc does not infer the
 *                     language from the file name (see {@link CompileService} on naming the input)
 */
record ArgScan(List<String> argv, int inputIndex, int outputIndex, boolean joinedOutput, boolean explicitLanguage) {

    String input() {
        return argv.get(inputIndex);
    }

    String output() {
        String o = argv.get(outputIndex);
        return joinedOutput ? o.substring(2) : o;
    }

    /** argv with the input and output replaced. */
    List<String> withInputAndOutput(String input, String output) {
        List<String> a = new ArrayList<>(argv);
        a.set(inputIndex, input);
        a.set(outputIndex, joinedOutput ? "-o" + output : output);
        return a;
    }

    static ArgScan scan(List<String> argv) throws JobRefused {
        List<String> a = new ArrayList<>(argv);
        if (a.getFirst().startsWith("-")) {
            throw local("unrecognized distcc option: " + a.getFirst());
        }
        boolean seenC = false, seenS = false, language = false;
        int input = -1, output = -1;
        boolean joined = false;
        for (int i = 1; i < a.size(); i++) {
            String s = a.get(i);
            if (!s.startsWith("-")) {
                if (SourceNames.isSource(s)) {
                    if (input >= 0) {
                        throw local("do we have two inputs?  i give up");
                    }
                    input = i;
                } else if (s.endsWith(".o")) {
                    if (output >= 0) {
                        throw local("called for link?  i give up");
                    }
                    output = -2 - i; // a bare .o: counted as an output, but distccd cannot rewrite it
                }
                continue;
            }
            String why = mustBeLocal(s, i + 1 < a.size() ? a.get(i + 1) : null);
            if (why != null) {
                throw local(why);
            }
            switch (s) {
                case "-MF", "-MT", "-MQ" -> i++;
                case "-S" -> seenS = true;
                case "-c" -> seenC = true;
                case "-o" -> {
                    if (output != -1) {
                        throw local("called for link?  i give up");
                    }
                    output = ++i;
                    joined = false;
                }
                default -> {
                    if (s.startsWith("-x") && input < 0) {
                        language = true;
                    } else if (s.startsWith("-o")) {
                        if (output != -1) {
                            throw local("called for link?  i give up");
                        }
                        output = i;
                        joined = true;
                    }
                }
            }
        }
        if (!seenC && !seenS) {
            throw local("compiler apparently called not for compile");
        }
        if (input < 0) {
            throw local("no visible input file");
        }
        String base = SourceNames.basename(a.get(input));
        if (base.startsWith("conftest.") || base.startsWith("tmp.conftest.")) {
            throw local("autoconf tests are run locally: " + a.get(input));
        }
        if (output == -1) {
            a.add("-o");
            a.add(FileNames.replaceExtension(a.get(input), seenS ? ".s" : ".o"));
            output = a.size() - 1;
        } else if (output < -1 || output >= a.size()) {
            // distccd's dcc_set_output finds no -o to rewrite and gives up.
            throw local("failed to find \"-o\"");
        }
        ArgScan scan = new ArgScan(a, input, output, joined, language);
        if (scan.output().equals("-")) {
            throw local("output to stdout?  running locally");
        }
        return scan;
    }

    /** The reason an option forces a local compile (reference §2.4 table), or null. */
    private static String mustBeLocal(String s, String next) {
        if (s.equals("-E")) {
            return "-E call for cpp must be local";
        }
        if (s.startsWith("-M") && !isAllowedDependencyOption(s)) {
            return s + " implies -E (maybe) and must be local";
        }
        if (s.equals("-march=native") || s.equals("-mtune=native")) {
            return s + " optimizes for the local machine; must be local";
        }
        if (s.equals("-flto")) {
            return "-flto is not worth distributing";
        }
        if (s.startsWith("-Wa,") && (s.contains(",-a") || s.contains("--MD"))) {
            return s + " must be local";
        }
        if (s.startsWith("-specs=")) {
            return s + " must be local";
        }
        if (s.equals("-fprofile-arcs") || s.equals("-ftest-coverage") || s.equals("--coverage")
                || s.startsWith("-fprofile-generate") || s.startsWith("-fprofile-use")
                || s.startsWith("-fauto-profile") || s.equals("-fprofile-correction")) {
            return "compiler will emit profile info; must be local";
        }
        if (s.equals("-frepo")) {
            return "compiler will emit .rpo files; must be local";
        }
        if (s.startsWith("-x") && !languageDistributable(next)) {
            return "gcc's -x handling is complex; running locally";
        }
        if (s.startsWith("-dr")) {
            return "gcc's debug option " + s + " may write extra files; running locally";
        }
        return null;
    }

    private static boolean isAllowedDependencyOption(String s) {
        return switch (s) {
            case "-MD", "-MMD", "-MG", "-MP", "-MF", "-MT", "-MQ" -> true;
            default -> s.startsWith("-MF") || s.startsWith("-MT") || s.startsWith("-MQ");
        };
    }

    /** 3.4 quirk kept: the language checked is the next argument, even for the joined -xc form. */
    private static boolean languageDistributable(String next) {
        return next != null && (next.startsWith("c") || next.startsWith("c++") || next.startsWith("objective-c")
                || next.startsWith("objective-c++") || next.startsWith("go"));
    }

    private static JobRefused local(String why) {
        return new JobRefused(JobRefused.Kind.NOT_DISTRIBUTABLE, why);
    }
}
