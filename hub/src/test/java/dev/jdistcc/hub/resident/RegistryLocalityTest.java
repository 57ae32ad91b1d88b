package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.hub.volunteers.Volunteer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryLocalityTest {
    static HostSpec.Tcp host(String address, int port) {
        return new HostSpec.Tcp(address + ":" + port + ",lz4", address, port, 2,
                new HostSpec.HostOptions(false, false, true, false, false));
    }

    @Test
    void aHostListEntryIsTheVolunteerRegisteredAtItsAddressAndPort() {
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10));
        String d1 = "a".repeat(64);
        reg.heartbeat(new Volunteer("v1", "127.0.0.2", 3632, 2, 2, "x86_64", List.of(d1), Instant.EPOCH));
        reg.heartbeat(new Volunteer("v2", "127.0.0.3", 3632, 2, 2, "x86_64", List.of(), Instant.EPOCH));
        RegistryLocality l = new RegistryLocality(reg);
        assertEquals(Boolean.TRUE, l.holds(host("127.0.0.2", 3632), d1));
        assertEquals(Boolean.FALSE, l.holds(host("127.0.0.3", 3632), d1));
        assertNull(l.holds(host("127.0.0.2", 4000), d1), "another port: not that volunteer");
        assertNull(l.holds(host("127.0.0.9", 3632), d1), "not registered: unknown");
        assertTrue(l.jdistccPeer(host("127.0.0.3", 3632)), "registered: our distccd");
        assertFalse(l.jdistccPeer(host("127.0.0.9", 3632)));
    }

    @Test
    void aNewHeartbeatIsSeenOnceTheIndexIsRefreshed() {
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10));
        long[] now = {0};
        RegistryLocality l = new RegistryLocality(reg, () -> now[0]);
        String d1 = "b".repeat(64);
        assertNull(l.holds(host("127.0.0.2", 3632), d1));
        reg.heartbeat(new Volunteer("v1", "127.0.0.2", 3632, 2, 2, "x86_64", List.of(d1), Instant.EPOCH));
        assertNull(l.holds(host("127.0.0.2", 3632), d1), "within the refresh interval the index stands");
        now[0] += RegistryLocality.REFRESH_NANOS;
        assertEquals(Boolean.TRUE, l.holds(host("127.0.0.2", 3632), d1));
    }
}
