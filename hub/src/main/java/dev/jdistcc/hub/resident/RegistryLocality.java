package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.hub.volunteers.VolunteerRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Toolchain locality from the hub's live volunteer registry: a host-list entry is the volunteer registered at
 * the same address and port (as the hub's hosts file writes them), and it holds the toolchains it last
 * reported; being registered, it is a jdistcc peer. Entries that name no registered volunteer are unknown.
 * The scheduler asks for every waiting job and candidate host on each planning round, so lookups go through
 * an address:port index of the live list, rebuilt at most once per {@link #REFRESH_NANOS} (heartbeats come
 * every few seconds).
 */
public final class RegistryLocality implements ToolchainLocality {
    static final long REFRESH_NANOS = 1_000_000_000L;

    private final VolunteerRegistry registry;
    private final LongSupplier clock;
    private Map<String, Volunteer> byHostPort = Map.of();
    private long builtAt;
    private boolean built;

    public RegistryLocality(VolunteerRegistry registry) {
        this(registry, System::nanoTime);
    }

    RegistryLocality(VolunteerRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Boolean holds(HostSpec.Tcp host, String digest) {
        Volunteer v = find(host);
        return v == null ? null : v.toolchains().contains(digest);
    }

    /** Only jdistcc's distccd registers with a hub. */
    @Override
    public boolean jdistccPeer(HostSpec.Tcp host) {
        return find(host) != null;
    }

    private synchronized Volunteer find(HostSpec.Tcp host) {
        long now = clock.getAsLong();
        if (!built || now - builtAt >= REFRESH_NANOS) {
            Map<String, Volunteer> m = new HashMap<>();
            for (Volunteer v : registry.live()) {
                m.put(v.address() + " " + v.port(), v);
            }
            byHostPort = m;
            builtAt = now;
            built = true;
        }
        return byHostPort.get(host.host() + " " + host.port());
    }
}
