package dev.jdistcc.client;

import dev.jdistcc.protocol.SourceNames;

/**
 * The client's file-name rules besides distcc's classes ({@link SourceNames}): default outputs and where gcc puts
 * a dependency file.
 */
public final class FileNames {

    private FileNames() {
    }

    /** The default output of {@code cc -c src} or {@code cc -S src}: the source's basename with a new suffix. */
    public static String defaultOutput(String source, String suffix) {
        String base = SourceNames.basename(source);
        String ext = SourceNames.extension(base);
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
