package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.BundleTree;
import dev.jdistcc.toolchain.BundleWriter;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeDownloadTest {
    @TempDir
    Path tmp;

    @Test
    void interruptedDownloadResumesWithARangeRequestAndInstalls() throws Exception {
        Sandbox.checkTools();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        BundleTree t = new BundleTree();
        t.addFile("bin/busybox", Path.of("/bin/busybox"), true);
        t.addFile("usr/bin/gcc", Files.writeString(tmp.resolve("gcc"), "#!/bin/busybox sh\necho fake 1.0\n"), true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BundleWriter(Compression.NONE, 0).writeTo(t, out);
        byte[] full = out.toByteArray();
        int cut = full.length / 2;

        try (FixedHub hub = new FixedHub(tmp.resolve("hub"))) {
            ToolchainInfo info = hub.add(full, Compression.NONE, t.digest());
            Path served = hub.files.values().iterator().next();
            Files.write(served, Arrays.copyOf(full, cut)); // the connection breaks half way
            hub.start();
            List<FetchEvent> events = new CopyOnWriteArrayList<>();
            ToolchainFetcher f = new ToolchainFetcher(hub.server.url(), hub.key.publicKey(),
                    new ToolchainCache(tmp.resolve("cache"), 1L << 30), new Sandbox(SandboxPolicy.DEFAULT),
                    HostArch.current(), UnpackLimits.DEFAULT, events::add);
            assertThrows(FetchException.Truncated.class, () -> f.acquire(info.digest()));

            // the hub now has the whole archive (in reality: the connection came back)
            Files.write(served, full);
            try (ToolchainCache.Lease l = f.acquire(info.digest())) {
                assertTrue(Files.isRegularFile(l.root().resolve("usr/bin/gcc")));
            }
            List<Long> starts = events.stream().filter(FetchEvent.DownloadStarted.class::isInstance)
                    .map(e -> ((FetchEvent.DownloadStarted) e).resumeFrom()).toList();
            assertEquals(List.of(0L, (long) cut), starts, "second attempt continued where the first stopped");
        }
    }
}
