package dev.jdistcc.fetcher;

import dev.jdistcc.hub.HubServer;
import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.toolchain.ToolchainDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VolunteerAnnouncerTest {
    @TempDir
    Path tmp;

    @Test
    void heartbeatRegistersTheVolunteerWithItsToolchainsAndCloseUnregisters() throws Exception {
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(7));
        FixedHub keys = new FixedHub(tmp.resolve("hub"));
        try (HubServer s = HubServer.builder(storeOf(keys), reg).hostsFile(tmp.resolve("hosts")).start()) {
            ToolchainDigest d = ToolchainDigest.parse("e".repeat(64));
            VolunteerAnnouncer a = new VolunteerAnnouncer(s.url(), "vol-7",
                    () -> new VolunteerAnnouncer.Status(null, 3632, 2, 3, "x86_64", List.of(d)), e -> { });
            assertEquals(Duration.ofSeconds(7), a.beat());
            Volunteer v = reg.live().getFirst();
            assertEquals("127.0.0.1", v.address());
            assertEquals(List.of(d.hex()), v.toolchains());
            assertEquals("127.0.0.1:3632/3,lzo\n", Files.readString(tmp.resolve("hosts")));
            a.close();
            assertEquals(List.of(), reg.live());
        }
    }

    static dev.jdistcc.hub.store.ToolchainStore storeOf(FixedHub hub) {
        return new dev.jdistcc.hub.store.ToolchainStore() {
            public java.util.Optional<dev.jdistcc.toolchain.manifest.ToolchainPublisher.SignedManifest> manifest() {
                return java.util.Optional.empty();
            }

            public java.util.Optional<BundleFile> bundle(String n) {
                return java.util.Optional.empty();
            }

            public dev.jdistcc.toolchain.sign.TrustedKey publicKey() {
                return hub.key.publicKey();
            }
        };
    }
}
