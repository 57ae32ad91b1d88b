package dev.jdistcc.server;

import java.util.Set;

/** distcc's file-name classes (reference §2.5, filename.c). */
final class FileNames {
    private static final Set<String> SOURCE = Set.of(
            "c", "cc", "cpp", "cxx", "cp", "c++", "C", "i", "ii", "m", "mm", "mi", "mii", "M");

    private FileNames() {
    }

    /** The extension after the last dot, without the dot; null when there is none or the dot ends the name. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1);
    }

    static boolean isSource(String name) {
        String ext = extension(name);
        return ext != null && SOURCE.contains(ext);
    }

    /** The suffix cpp output of this source gets (dcc_preproc_exten); ".tmp" for anything else, as distccd. */
    static String preprocessedSuffix(String source) {
        String ext = extension(source);
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

    static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The source's basename with its extension replaced (dcc_output_from_source). */
    static String replaceExtension(String source, String newSuffix) {
        String base = basename(source);
        int dot = base.lastIndexOf('.');
        return (dot <= 0 ? base : base.substring(0, dot)) + newSuffix;
    }
}
