package dev.jdistcc.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Protocol 3's argv rewrite (reference §1.6 step 4, serve.c tweak_arguments_for_server): output to a
 * temporary object, the first {@code -MT X} taken out and remembered as the .d target, {@code -MMD} added
 * unless a .d is already asked for, {@code -MF} pointed at a temporary file, and absolute paths of include
 * options, of {@code -f*-prefix-map=} options (as distcc after 3.4) and of the source moved under the root.
 *
 * @param argv       the command to run
 * @param dotdTarget the {@code -MT} value, or null
 */
record PumpArgs(List<String> argv, String dotdTarget) {
    private static final List<String> INCLUDE_OPTIONS = List.of(
            "-I", "-include", "-imacros", "-idirafter", "-iprefix", "-iwithprefix", "-iwithprefixbefore",
            "-isystem", "-iquote");
    private static final List<String> PREFIX_MAPS = List.of(
            "-ffile-prefix-map=", "-fmacro-prefix-map=", "-fdebug-prefix-map=", "-fprofile-prefix-map=");

    static PumpArgs rewrite(ArgScan scan, String root, String tempObject, String depsFile) {
        List<String> a = new ArrayList<>(scan.argv());
        int source = scan.inputIndex();
        String out = scan.output();
        a.set(scan.outputIndex(), scan.joinedOutput() ? "-o" + tempObject : tempObject);
        if (a.get(source).startsWith("/")) {
            a.set(source, root + "/" + a.get(source).replaceFirst("^/+", ""));
        }
        String target = null;
        int mt = a.indexOf("-MT");
        if (mt >= 0 && mt + 1 < a.size()) {
            target = a.get(mt + 1);
            a.subList(mt, mt + 2).clear();
        }
        if (!a.contains("-MD") && !a.contains("-MMD")) {
            a.add("-MMD");
        }
        a.add("-MF");
        a.add(depsFile);
        prefixIncludes(a, root);
        prefixMaps(a, root);
        a.add(1, "-fdebug-prefix-map=" + root + "=");
        return new PumpArgs(a, target != null ? target : out);
    }

    private static void prefixIncludes(List<String> a, String root) {
        for (int i = 0; i < a.size(); i++) {
            for (String opt : INCLUDE_OPTIONS) {
                String s = a.get(i);
                if (!s.startsWith(opt)) {
                    continue;
                }
                if (s.equals(opt)) {
                    if (++i < a.size() && a.get(i).startsWith("/")) {
                        a.set(i, root + a.get(i));
                    }
                } else if (s.charAt(opt.length()) == '/') {
                    a.set(i, opt + root + s.substring(opt.length()));
                }
                break;
            }
        }
    }

    private static void prefixMaps(List<String> a, String root) {
        for (int i = 0; i < a.size(); i++) {
            for (String opt : PREFIX_MAPS) {
                String s = a.get(i);
                if (s.startsWith(opt) && s.length() > opt.length() && s.charAt(opt.length()) == '/') {
                    a.set(i, opt + root + s.substring(opt.length()));
                    break;
                }
            }
        }
    }
}
