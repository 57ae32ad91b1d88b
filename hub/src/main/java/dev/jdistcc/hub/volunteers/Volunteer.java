package dev.jdistcc.hub.volunteers;

import java.time.Instant;
import java.util.List;

/**
 * A volunteer as last reported in its registration or heartbeat.
 *
 * @param id         chosen by the volunteer, stable across its heartbeats (e.g. machine id)
 * @param address    where its distccd listens (defaults to the address the registration came from)
 * @param port       its distccd port
 * @param cpus       CPUs it has
 * @param jobs       compile jobs it accepts at once
 * @param arch       its machine (uname -m), to match toolchains' hostArch
 * @param toolchains digests it has fetched and verified
 * @param lastSeen   when the hub last heard from it
 */
public record Volunteer(String id, String address, int port, int cpus, int jobs, String arch, List<String> toolchains,
                        Instant lastSeen) {
    public Volunteer {
        toolchains = List.copyOf(toolchains);
    }

    /** distcc host-list grammar: HOST:PORT/LIMIT,lzo (IPv6 in brackets). */
    public String distccHostSpec() {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return host + ":" + port + "/" + Math.max(1, jobs) + ",lzo";
    }
}
