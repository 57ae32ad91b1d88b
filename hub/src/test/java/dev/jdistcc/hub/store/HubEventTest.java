package dev.jdistcc.hub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jdistcc.toolchain.ToolchainDigest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console line of each hub event, shared by {@code jdistcc-hub serve} and {@code jdistcc-netboot serve}. */
class HubEventTest {

    @Test
    void eachEventReadsAsOneLineNamingWhatHappened() {
        ToolchainDigest d = ToolchainDigest.parse("4e7880bcfb4b" + "0".repeat(52));
        assertEquals("packaged gcc as 4e7880bcfb4b (31 MB, 1940 ms)",
                new HubEvent.Packaged("gcc", d, 31_074_644, Duration.ofMillis(1940)).describe());
        assertEquals("cannot package clang: no such file",
                new HubEvent.PackagingFailed("clang", "no such file").describe());
        assertEquals("manifest published with 2 toolchain(s)", new HubEvent.ManifestPublished(2).describe());
        assertEquals("volunteer v1 joined from 10.0.2.15:3632",
                new HubEvent.VolunteerJoined("v1", "10.0.2.15", 3632).describe());
        assertEquals("volunteer v1 dropped: no heartbeat for 6 s",
                new HubEvent.VolunteerDropped("v1", "no heartbeat for 6 s").describe());
    }
}
