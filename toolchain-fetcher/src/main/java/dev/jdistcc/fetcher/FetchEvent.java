package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;

import java.net.URI;
import java.util.Set;

/** Progress of fetching toolchains, delivered to a {@link FetchListener}; the library itself never prints. */
public sealed interface FetchEvent {
    record ManifestLoaded(URI hub, int toolchains, int forThisHost) implements FetchEvent {
    }

    record DownloadStarted(ToolchainDigest digest, long size, long resumeFrom) implements FetchEvent {
    }

    record DownloadProgress(ToolchainDigest digest, long bytes, long total) implements FetchEvent {
    }

    record Verified(ToolchainDigest digest) implements FetchEvent {
    }

    record Unpacked(ToolchainDigest digest, long bytes) implements FetchEvent {
    }

    /** Test-run passed and the toolchain is in the cache: it may be advertised. */
    record Ready(ToolchainDigest digest, Set<String> compilers) implements FetchEvent {
    }

    record Failed(ToolchainDigest digest, FetchException error) implements FetchEvent {
    }
}
