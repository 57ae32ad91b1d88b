package dev.jdistcc.client;

import java.util.Set;

/** File-name classes of distcc's filename.c (reference §2.5): which arguments are sources, and their cpp suffix. */
public final class FileNames {
    private static final Set<String> SOURCE = Set.of(
            "c", "cc", "cpp", "cxx", "cp", "c++", "C", "i", "ii", "m", "mm", "mi", "mii", "M");
    private static final Set<String> PREPROCESSED = Set.of("i", "ii", "mi", "mii");

    private FileNames() {
    }

    /**
     * The text after the last '.' of the whole string, or null when there is no '.' or nothing follows it
     * (distcc's dcc_find_extension, which does not stop at '/').
     */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1);
    }

    public static boolean isSource(String name) {
        String ext = extension(name);
        return ext != null && SOURCE.contains(ext);
    }

    /** Inputs sent as they are, without running cpp. */
    public static boolean isPreprocessed(String name) {
        String ext = extension(name);
        return ext != null && PREPROCESSED.contains(ext);
    }

    /** The suffix (with dot) of cpp's output for this source: what the server names its temporary input. */
    public static String cppSuffix(String name) {
        String ext = extension(name);
        if (ext == null) {
            return ".tmp";
        }
        return switch (ext) {
            case "c", "i" -> ".i";
            case "cc", "cpp", "cxx", "cp", "c++", "C", "ii" -> ".ii";
            case "m", "mi" -> ".mi";
            case "mm", "M", "mii" -> ".mii";
            case "s", "S" -> ".s";
            default -> ".tmp";
        };
    }

    public static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The default output of {@code cc -c src} or {@code cc -S src}: the source's basename with a new suffix. */
    public static String defaultOutput(String source, String suffix) {
        String base = basename(source);
        String ext = extension(base);
        return ext == null ? base + suffix : base.substring(0, base.length() - ext.length() - 1) + suffix;
    }

    /**
     * gcc's {@code %.d%*} spec: the last path component's suffix (from its last '.') replaced by ".d", or ".d"
     * appended when it has none. This is where gcc puts the {@code -MD} file of {@code -o obj/x.o}.
     */
    public static String dependencyFileFor(String output) {
        int slash = output.lastIndexOf('/');
        int dot = output.lastIndexOf('.');
        return dot > slash ? output.substring(0, dot) + ".d" : output + ".d";
    }
}
