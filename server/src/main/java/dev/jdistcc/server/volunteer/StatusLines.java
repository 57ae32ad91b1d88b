package dev.jdistcc.server.volunteer;

import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.Manifest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The volunteer's part of the --stats page, appended after distccd's {@code </distccstats>} block so that
 * readers of the stock format see no difference: one {@code key value} per line, bare \n, between
 * {@code <jdistcc-volunteer>} tags.
 *
 * <pre>
 * &lt;jdistcc-volunteer&gt;
 * hub http://192.0.2.1:3633/
 * hub_state ok
 * hub_last_error none
 * volunteer_id build-7-1a2b3c4d
 * registered yes
 * toolchains_held 2
 * toolchain 5f1c...e0 gcc 12 x86_64-linux-gnu gcc g++ x86_64-linux-gnu-gcc ...
 * mem_total_kb 1014820
 * mem_available_kb 761032
 * server_rss_kb 98304
 * &lt;/jdistcc-volunteer&gt;
 * </pre>
 * The {@code mem_} lines are the machine's (Linux {@code /proc/meminfo}), {@code server_rss_kb} this server's own
 * resident set; -1 when unknown.
 */
final class StatusLines {
    private StatusLines() {
    }

    static String render(URI hub, HubLink.State state, String lastError, String id, boolean registered,
                         List<ToolchainDigest> held, Optional<Manifest> manifest, HostMemory memory) {
        StringBuilder b = new StringBuilder(512).append("<jdistcc-volunteer>\n");
        b.append("hub ").append(hub).append('\n');
        b.append("hub_state ").append(state.label()).append('\n');
        b.append("hub_last_error ").append(lastError == null ? "none" : oneLine(lastError)).append('\n');
        b.append("volunteer_id ").append(id == null ? "none" : id).append('\n');
        b.append("registered ").append(registered ? "yes" : "no").append('\n');
        b.append("toolchains_held ").append(held.size()).append('\n');
        for (ToolchainDigest d : held) {
            b.append("toolchain ").append(d.hex());
            Optional<ToolchainInfo> t = manifest.flatMap(m -> m.byDigest(d));
            t.ifPresent(i -> b.append(' ').append(i.family()).append(' ').append(i.version()).append(' ')
                    .append(i.target()).append(' ').append(String.join(" ", new java.util.TreeSet<>(i.compilers().keySet()))));
            b.append('\n');
        }
        b.append("mem_total_kb ").append(memory.totalKb()).append('\n');
        b.append("mem_available_kb ").append(memory.availableKb()).append('\n');
        b.append("server_rss_kb ").append(memory.serverRssKb()).append('\n');
        return b.append("</jdistcc-volunteer>\n").toString();
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
