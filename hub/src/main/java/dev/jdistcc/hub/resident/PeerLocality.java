package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.util.HashSet;
import java.util.Set;

/**
 * The scheduler's view of volunteers as jdistcc peers: which host-list entries a job uses with the extension
 * ({@code ,lz4}, toolchain naming), and which of them lack a job's toolchain, from the
 * {@link ToolchainLocality} and the toolchains jobs of ours have named to each host. Not
 * thread-safe: guarded by the scheduler's lock.
 */
final class PeerLocality {
    private ToolchainLocality locality = (host, digest) -> null;
    /** "host key + space + digest" for every toolchain a job of ours named to that host (it has fetched it since). */
    private final Set<String> sent = new HashSet<>();

    /** Where toolchain locality comes from (the hub's registry, once its HTTP side is up). */
    void source(ToolchainLocality l) {
        this.locality = l;
    }

    /** Whether {@code h} is known not to hold {@code digest} (and no job of ours sent it there). */
    boolean lacks(HostSpec h, String digest) {
        if (digest == null || !(h instanceof HostSpec.Tcp t) || sent.contains(sentKey(h, digest))
                || !(t.options().lz4() || upgradable(t))) {
            return false;
        }
        return Boolean.FALSE.equals(locality.holds(t, digest));
    }

    /** A plain or {@code ,lzo} entry (not {@code ,cpp}, not {@code ,auth}) for a registered jdistcc volunteer. */
    boolean upgradable(HostSpec.Tcp t) {
        HostSpec.HostOptions o = t.options();
        return !o.lz4() && !o.cpp() && !o.auth() && locality.jdistccPeer(t);
    }

    /** The entry as the job uses it: a registered jdistcc volunteer gets {@code ,lz4} (LZ4 and toolchain naming). */
    HostSpec asUsed(HostSpec h) {
        if (h instanceof HostSpec.Tcp t && upgradable(t)) {
            HostSpec.HostOptions o = t.options();
            return new HostSpec.Tcp(t.spec(), t.host(), t.port(), t.slots(),
                    new HostSpec.HostOptions(o.lzo(), false, true, o.down(), false));
        }
        return h;
    }

    /** A job naming {@code toolchain} (or none: null) took {@code used}, the entry as {@link #asUsed} made it. */
    void sent(HostSpec used, String toolchain) {
        if (toolchain != null && used instanceof HostSpec.Tcp t && t.options().lz4()) {
            sent.add(sentKey(used, toolchain));   // the volunteer fetches it for this job, once
        }
    }

    private static String sentKey(HostSpec h, String digest) {
        return HostBook.key(h) + " " + digest;
    }
}
