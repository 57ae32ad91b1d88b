package dev.jdistcc.server;

import dev.jdistcc.protocol.SourceNames;

/** The server's file-name rule besides distcc's classes ({@link SourceNames}). */
final class FileNames {

    private FileNames() {
    }

    /** The source's basename with its extension replaced (dcc_output_from_source). */
    static String replaceExtension(String source, String newSuffix) {
        String base = SourceNames.basename(source);
        int dot = base.lastIndexOf('.');
        return (dot <= 0 ? base : base.substring(0, dot)) + newSuffix;
    }
}
