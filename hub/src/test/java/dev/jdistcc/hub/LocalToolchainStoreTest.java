package dev.jdistcc.hub;

import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.hub.store.LocalToolchainStore;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.manifest.ManifestCodec;
import dev.jdistcc.toolchain.sign.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalToolchainStoreTest {
    @TempDir
    Path tmp;

    @Test
    void rescanPackagesNewlyAppearedCompilersOnlyAndResignsTheManifest() throws Exception {
        List<String> compilers = new ArrayList<>(List.of("gcc"));
        List<HubEvent> events = new CopyOnWriteArrayList<>();
        SigningKey key = SigningKey.generate();
        LocalToolchainStore store = new LocalToolchainStore(tmp, key, Compression.ZSTD, () -> List.copyOf(compilers), events::add);
        assertTrue(store.manifest().isEmpty(), "nothing is served before the first round");
        store.rescan();
        assertEquals(1, store.manifest().orElseThrow().manifest().toolchains().size());
        compilers.add("aarch64-linux-gnu-gcc");
        store.rescan();
        var signed = store.manifest().orElseThrow();
        assertEquals(2, signed.manifest().toolchains().size());
        assertEquals(2, events.stream().filter(HubEvent.Packaged.class::isInstance).count(), "gcc was not packaged again");
        key.publicKey().verify(signed.json().getBytes(StandardCharsets.UTF_8), signed.signature(), "manifest");
        assertEquals(signed.manifest(), ManifestCodec.read(signed.json()));
        store.rescan();
        assertEquals(2, events.stream().filter(HubEvent.ManifestPublished.class::isInstance).count(), "unchanged: not republished");
    }

    @Test
    void discoveryFindsTheNativeAndCrossCompilersOnPath() {
        List<String> found = LocalToolchainStore.discoverOnPath();
        assertTrue(found.stream().anyMatch(n -> n.contains("gcc") && !n.contains("aarch64") && !n.contains("arm")), found.toString());
        assertTrue(found.stream().anyMatch(n -> n.startsWith("aarch64-linux-gnu-gcc")), found.toString());
        assertTrue(found.stream().anyMatch(n -> n.startsWith("arm-linux-gnueabihf-gcc")), found.toString());
        assertTrue(found.stream().noneMatch(n -> n.startsWith("c99-") || n.startsWith("c89-")), "scripts are skipped: " + found);
    }
}
