package dev.jdistcc.hub.store;

import dev.jdistcc.toolchain.manifest.ToolchainPublisher.SignedManifest;
import dev.jdistcc.toolchain.sign.TrustedKey;

import java.nio.file.Path;
import java.util.Optional;

/** What the toolchain HTTP handlers serve: the signed manifest and bundle archives. */
public interface ToolchainStore {
    /** Empty until the first packaging round has finished. */
    Optional<SignedManifest> manifest();

    /** An archive by its file name ("&lt;digest&gt;.tar.zst"), if published. */
    Optional<BundleFile> bundle(String fileName);

    TrustedKey publicKey();

    /** @param etag the content digest (quoted when sent) */
    record BundleFile(Path file, long size, String etag, String contentType) {
    }
}
