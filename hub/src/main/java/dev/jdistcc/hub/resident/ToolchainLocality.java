package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;

/** Which toolchains a volunteer holds, as far as this machine knows (the hub's volunteer registry). */
@FunctionalInterface
public interface ToolchainLocality {
    /** @return whether {@code host} holds the toolchain {@code digest}; null when the host is not known */
    Boolean holds(HostSpec.Tcp host, String digest);

    /**
     * Whether {@code host} is known to be a jdistcc volunteer (it registered with the hub), so it speaks the
     * jdistcc extension (LZ4, toolchain naming) even where the host list says {@code ,lzo} or nothing, as
     * the hub's own hosts file does for the sake of stock distcc clients.
     */
    default boolean jdistccPeer(HostSpec.Tcp host) {
        return false;
    }
}
