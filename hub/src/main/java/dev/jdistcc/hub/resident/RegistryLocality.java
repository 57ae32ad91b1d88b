package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.hub.volunteers.VolunteerRegistry;

/**
 * Toolchain locality from the hub's live volunteer registry: a host-list entry is the volunteer registered at
 * the same address and port (as the hub's hosts file writes them), and it holds the toolchains it last
 * reported; being registered, it is a jdistcc peer. Entries that name no registered volunteer are unknown.
 */
public final class RegistryLocality implements ResidentScheduler.ToolchainLocality {
    private final VolunteerRegistry registry;

    public RegistryLocality(VolunteerRegistry registry) {
        this.registry = registry;
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

    private Volunteer find(HostSpec.Tcp host) {
        for (Volunteer v : registry.live()) {
            if (v.port() == host.port() && v.address().equals(host.host())) {
                return v;
            }
        }
        return null;
    }
}
