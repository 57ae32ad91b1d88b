package dev.jdistcc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two command lines a distributed job needs besides the user's own (reference §2.7): the local
 * preprocessor command and the argv sent to the server.
 */
public final class RemoteArgs {
    /** Options removed from the server's argv together with their separate value. */
    static final Set<String> STRIP_WITH_VALUE = Set.of("-D", "-I", "-U", "-L", "-l", "-MF", "-MT", "-MQ",
            "-include", "-imacros", "-iprefix", "-iwithprefix", "-isystem", "-iwithprefixbefore", "-idirafter");
    /** Options removed when an argument starts with them (joined values). */
    static final List<String> STRIP_PREFIX = List.of("-Wp,", "-Wl,", "-D", "-U", "-I", "-l", "-L", "-MF", "-MT",
            "-MQ", "-isystem", "-stdlib");
    /** Options removed when an argument equals them. */
    static final Set<String> STRIP_EXACT = Set.of("-undef", "-nostdinc", "-nostdinc++", "-MD", "-MMD", "-MG", "-MP");

    /**
     * Languages whose preprocessed form has its own -x name. The server compiles our cpp output; telling it
     * the input is already preprocessed keeps cc1 from naming the object's FILE symbol after the server's
     * temporary file (issue 2, point 20). The server's scan still accepts these names: they start with "c"
     * or "objective-c".
     */
    static final Map<String, String> PREPROCESSED_LANGUAGE = Map.of(
            "c", "cpp-output",
            "c++", "c++-cpp-output",
            "objective-c", "objective-c-cpp-output",
            "objective-c++", "objective-c++-cpp-output");

    private RemoteArgs() {
    }

    /** distcc's dcc_strip_local_args, plus the -x mapping above. argv is the scanned argv (with -o). */
    public static List<String> forServer(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        out.add(argv.getFirst());
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (STRIP_WITH_VALUE.contains(a)) {
                i++;
            } else if (STRIP_EXACT.contains(a) || startsWithAny(a, STRIP_PREFIX)) {
                // dropped: the preprocessor already used it
            } else if (a.equals("-x") && i + 1 < argv.size()) {
                String lang = argv.get(++i);
                out.add(a);
                out.add(PREPROCESSED_LANGUAGE.getOrDefault(lang, lang));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean startsWithAny(String a, List<String> prefixes) {
        for (String p : prefixes) {
            if (a.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The local preprocessor command: the user's arguments ({@code @file} expanded, {@code -Wp,} kept as it
     * is so gcc treats it exactly as in a local compile) without {@code -o}, with {@code -c}/{@code -S}
     * turned into {@code -E}, plus the dependency-file fix of {@link #dependencyOptions}.
     */
    public static List<String> forPreprocessor(List<String> argv, ScanResult.Distributable job) {
        List<String> out = new ArrayList<>(argv.size() + 4);
        out.add(argv.getFirst());
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-o")) {
                i++;
            } else if (a.startsWith("-o")) {
                // joined output: dropped
            } else if (a.equals("-c") || a.equals("-S")) {
                out.add("-E");
            } else {
                out.add(a);
            }
        }
        out.addAll(dependencyOptions(argv, job));
        return out;
    }

    /**
     * What gcc's driver adds for {@code -MD}/{@code -MMD} when it compiles (its cpp spec), but not when it
     * only preprocesses: {@code -MF <output with .d>} unless -MF is given, and {@code -MQ <output>} unless
     * -MT/-MQ is given. Without these, -E writes the .d next to the cwd with the wrong target (stock 3.4's
     * behaviour, distcc #62/#375). Only the driver's own -MD counts; {@code -Wp,-MD,f} reaches cc1 directly.
     */
    static List<String> dependencyOptions(List<String> argv, ScanResult.Distributable job) {
        boolean md = false;
        boolean mf = false;
        boolean target = false;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            md |= a.equals("-MD") || a.equals("-MMD");
            mf |= a.startsWith("-MF");
            target |= a.startsWith("-MT") || a.startsWith("-MQ");
            if (a.equals("-MF") || a.equals("-MT") || a.equals("-MQ") || a.equals("-o")) {
                i++;
            }
        }
        if (!md || !job.outputGiven()) {
            return List.of(); // without -o, gcc -E derives the same x.d and x.o target as gcc -c
        }
        List<String> extra = new ArrayList<>(4);
        if (!mf) {
            extra.add("-MF");
            extra.add(FileNames.dependencyFileFor(job.output()));
        }
        if (!target) {
            extra.add("-MQ");
            extra.add(job.output());
        }
        return extra;
    }
}
