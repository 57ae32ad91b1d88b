package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.manifest.ToolchainInfo;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Archive on disk → verified, test-run toolchain in the cache. The unpack happens in a private temp dir that
 * is renamed into place only when the content digest matches and every driver answers {@code --version}
 * inside the sandbox; on any failure the temp dir is deleted, so nothing half-unpacked remains.
 */
final class ToolchainInstaller {
    private final ToolchainCache cache;
    private final Sandbox sandbox;
    private final UnpackLimits limits;
    private final FetchListener listener;

    ToolchainInstaller(ToolchainCache cache, Sandbox sandbox, UnpackLimits limits, FetchListener listener) {
        this.cache = cache;
        this.sandbox = sandbox;
        this.limits = limits;
        this.listener = listener;
    }

    void install(ToolchainInfo t, Path archive) throws IOException, FetchException {
        if (t.archive().size() > limits.maxArchiveBytes()) {
            throw new FetchException.TooLarge("archive of " + t.digest().shortForm() + " is " + t.archive().size()
                    + " bytes, over the limit of " + limits.maxArchiveBytes());
        }
        Path tmp = cache.newTempDir();
        boolean done = false;
        try {
            SafeUnpacker.Result r;
            try (InputStream in = t.archive().compression().decompress(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
                r = new SafeUnpacker(limits).unpack(in, tmp);
            } catch (IOException e) {
                throw new FetchException.Truncated("archive of " + t.digest().shortForm() + " is corrupt: " + e.getMessage(), e);
            }
            if (!r.digest().equals(t.digest())) {
                throw new FetchException.DigestMismatch("content of bundle " + t.digest().shortForm() + " hashes to "
                        + r.digest().shortForm() + ": it is not the toolchain the manifest names");
            }
            listener.on(new FetchEvent.Unpacked(t.digest(), r.unpackedBytes()));
            testRun(t, tmp);
            cache.install(t.digest(), tmp, r.unpackedBytes());
            done = true;
        } finally {
            if (!done) {
                ToolchainCache.deleteTree(tmp, true);
            }
        }
    }

    /** Each distinct driver must run inside the sandbox before the toolchain is advertised. */
    private void testRun(ToolchainInfo t, Path root) throws IOException, FetchException {
        Path job = cache.newTempDir();
        try {
            sandbox.prepareJobDir(job);
            for (String driver : new TreeSet<>(t.compilers().values())) {
                SandboxedRun.Result r = SandboxedRun.run(sandbox, root, job, List.of(driver, "--version"));
                if (!r.ok()) {
                    throw new FetchException.Unusable("toolchain " + t.digest().shortForm() + ": `" + driver
                            + " --version` failed in the sandbox (exit " + r.exit() + (r.timedOut() ? ", timed out" : "")
                            + "): " + r.stderr().strip());
                }
            }
        } finally {
            ToolchainCache.deleteTree(job, true);
        }
    }
}
