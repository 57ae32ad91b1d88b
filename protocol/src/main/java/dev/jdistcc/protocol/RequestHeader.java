package dev.jdistcc.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Everything a request carries before its input: what the server needs to decide whether to take the job
 * (the server runs its argument scan here and drops the connection on refusal, reference §1.7).
 *
 * @param version   the DIST value
 * @param toolchain for {@link WireVersion#FEATURE_TOOLCHAIN} requests, the toolchain to use; else null
 * @param cwd       the client's working directory (protocol 3 only), else null
 * @param argv      the compiler command line, compiler name first
 */
public record RequestHeader(WireVersion version, ToolchainRef toolchain, String cwd, List<String> argv) {

    /** A toolchain named by content digest, with an optional URL to fetch it from (empty when unknown). */
    public record ToolchainRef(String digest, String source) {
        public ToolchainRef {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(source, "source");
        }
    }

    public RequestHeader {
        Objects.requireNonNull(version, "version");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name the compiler");
        }
        if (version.serverCpp() != (cwd != null)) {
            throw new IllegalArgumentException("CDIR is sent exactly when the protocol is 3");
        }
        if (version.has(WireVersion.FEATURE_TOOLCHAIN) != (toolchain != null)) {
            throw new IllegalArgumentException("a toolchain is named exactly when the version has FEATURE_TOOLCHAIN");
        }
    }

    public static RequestHeader of(WireVersion version, List<String> argv) {
        return new RequestHeader(version, null, null, argv);
    }
}
