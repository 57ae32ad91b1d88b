package dev.jdistcc.hub.resident;

import dev.jdistcc.client.ToolchainIndex;
import dev.jdistcc.client.ToolchainNames;
import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher.SignedManifest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the resident compile path told which local compilers the hub has packaged (issue 3 point 7): after each
 * manifest the hub publishes, the drivers of its toolchains (as they are on this machine) with their digests and
 * the hub's URL become the resident jobs' {@link ToolchainNames} and are written to the index file the plain
 * client reads ({@link ToolchainIndex}, next to the hand-off socket). Requests to jdistcc peers then carry TOOL
 * and TSRC. Until then, and for compilers never packaged, jobs name the compiler only.
 */
public final class ToolchainIndexFeed implements ToolchainNames {
    private final Path file;
    private volatile Hub hub;
    private volatile ToolchainIndex index;

    /** @param file where to write the index for plain clients; null writes none */
    public ToolchainIndexFeed(Path file) {
        this.file = file;
    }

    /** The default index file for a hub serving {@code socket}. */
    public static Path fileNextTo(Path socket) {
        return socket.toAbsolutePath().getParent().resolve(ToolchainIndex.FILE_NAME);
    }

    /** Starts following {@code hub}; picks up a manifest it published before this call. */
    public void attach(Hub h) throws IOException {
        this.hub = h;
        refresh();
    }

    /** Feed of the hub's events: a published manifest refreshes the index. */
    public void on(HubEvent e) {
        if (e instanceof HubEvent.ManifestPublished && hub != null) {
            try {
                refresh();
            } catch (IOException ignored) {
                // the in-memory index is current; plain clients keep the previous file
            }
        }
    }

    /** Rebuilds the index from the hub's current manifest. */
    public synchronized void refresh() throws IOException {
        Hub h = hub;
        Optional<SignedManifest> m = h == null ? Optional.empty() : h.store().manifest();
        if (m.isEmpty()) {
            return;
        }
        ToolchainIndex i = build(m.get().manifest().toolchains(), h.url());
        index = i;
        if (file != null) {
            i.write(file);
        }
    }

    /** One entry per distinct driver of each toolchain that exists on this machine. */
    static ToolchainIndex build(List<ToolchainInfo> toolchains, URI source) {
        List<ToolchainIndex.Entry> entries = new ArrayList<>();
        for (ToolchainInfo t : toolchains) {
            Set<String> drivers = new LinkedHashSet<>(t.compilers().values());
            for (String d : drivers) {
                ToolchainIndex.Entry e = ToolchainIndex.entryFor(t.digest().hex(), Path.of(d));
                if (e != null && entries.stream().noneMatch(x -> x.driver().equals(e.driver()))) {
                    entries.add(e);
                }
            }
        }
        return new ToolchainIndex(source.toString(), entries);
    }

    @Override
    public RequestHeader.ToolchainRef forCompiler(String compiler, Path executable) {
        ToolchainIndex i = index;
        return i == null ? null : i.forCompiler(compiler, executable);
    }
}
