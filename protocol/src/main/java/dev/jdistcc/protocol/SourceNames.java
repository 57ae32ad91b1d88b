package dev.jdistcc.protocol;

import java.util.Set;

/**
 * distcc's file-name classes (reference §2.5, filename.c), which both ends apply to the argv on the wire: which
 * argument is the source file, and the suffix of its preprocessed form. The client names cpp's output with that
 * suffix and the server its temporary input, and the compiler treats the input by it, so the two ends must agree.
 */
public final class SourceNames {
    private static final Set<String> SOURCE = Set.of(
            "c", "cc", "cpp", "cxx", "cp", "c++", "C", "i", "ii", "m", "mm", "mi", "mii", "M");
    private static final Set<String> PREPROCESSED = Set.of("i", "ii", "mi", "mii");

    private SourceNames() {
    }

    /**
     * The text after the last '.' of the whole string, or null when there is no '.' or nothing follows it
     * (distcc's dcc_find_extension, which does not stop at '/').
     */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1);
    }

    /** Whether distcc takes this argument for the source file. */
    public static boolean isSource(String name) {
        String ext = extension(name);
        return ext != null && SOURCE.contains(ext);
    }

    /** Inputs sent as they are, without running cpp. */
    public static boolean isPreprocessed(String name) {
        String ext = extension(name);
        return ext != null && PREPROCESSED.contains(ext);
    }

    /** The suffix (with its dot) of this source's cpp output (dcc_preproc_exten); ".tmp" for anything else. */
    public static String preprocessedSuffix(String name) {
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

    /** The last path component. */
    public static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
