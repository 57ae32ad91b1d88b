package dev.jdistcc.server.volunteer;

import dev.jdistcc.fetcher.FetchException;
import dev.jdistcc.fetcher.HostArch;
import dev.jdistcc.fetcher.Sandbox;
import dev.jdistcc.fetcher.SandboxPolicy;
import dev.jdistcc.fetcher.ToolchainCache;
import dev.jdistcc.fetcher.ToolchainFetcher;
import dev.jdistcc.fetcher.ToolchainResolver;
import dev.jdistcc.fetcher.UnpackLimits;
import dev.jdistcc.fetcher.VolunteerAnnouncer;
import dev.jdistcc.server.CompilerResolver;
import dev.jdistcc.server.ServerLog;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;

/**
 * distccd as a volunteer of a hub: toolchains fetched, verified and test-run into a cache, compiles with them in
 * the bubblewrap sandbox, registration with heartbeats. Built by the daemon when {@code --hub} is given:
 * {@link #open}, {@link #resolver} for the compile service, {@link #start} once the socket is bound (one sync,
 * then background retries and registration), {@link #statusLines} for --stats, {@link #close} on drain.
 */
public final class Volunteer implements AutoCloseable {
    private final VolunteerConfig config;
    private final ToolchainCache cache;
    private final ToolchainFetcher fetcher;
    private final ToolchainResolver toolchains;
    private final ServerLog log;
    private final HubLink link;
    private final String id;
    private final String unusable;
    private volatile Registration registration;

    private Volunteer(VolunteerConfig config, SandboxPolicy policy, ServerLog log) throws IOException {
        this.config = config;
        this.log = log;
        this.cache = new ToolchainCache(config.cacheDir(), config.cacheBudgetBytes());
        Sandbox sandbox = new Sandbox(policy);
        this.fetcher = new ToolchainFetcher(config.hub(), config.key(), cache, sandbox, HostArch.current(),
                UnpackLimits.DEFAULT, e -> link().on(e));
        this.toolchains = new ToolchainResolver(fetcher, sandbox);
        this.link = new HubLink(config, fetcher, cache, log, this::trusted);
        this.id = config.volunteerId() != null ? config.volunteerId() : VolunteerId.loadOrCreate(config.cacheDir());
        this.unusable = whyUnusable(config.cacheDir(), policy);
    }

    /**
     * Opens the cache and loads the manifest saved by an earlier run (if it still verifies), so cached toolchains
     * serve at once. Throws only for a cache directory that cannot be created or read.
     */
    public static Volunteer open(VolunteerConfig config, SandboxPolicy policy, ServerLog log) throws IOException {
        Volunteer v = new Volunteer(config, policy, log);
        if (v.unusable != null) {
            v.link.unusable(v.unusable);
        } else if (v.fetcher.loadSavedManifest().isPresent()) {
            log.info("jdistcc_hub", "loaded the saved manifest of " + config.hub() + "; " + v.cache.digests().size()
                    + " toolchains cached in " + config.cacheDir());
        }
        return v;
    }

    private HubLink link() {
        return link;
    }

    /** The daemon's resolver: hub toolchains first, then {@code local} (null when there are no local compilers). */
    public CompilerResolver resolver(CompilerResolver local) {
        return new HubCompilerResolver(unusable == null ? toolchains : null, config.hub(), local);
    }

    /**
     * Standalone daemon, socket bound: syncs once (the manifest and every toolchain for this machine, progress to
     * the log), then keeps retrying or refreshing in the background and registers as soon as the hub is trusted.
     * Returns whatever the hub's state; it never stops the daemon.
     */
    public void start(int listenPort, int jobs) {
        int port = config.advertisePort() != null ? config.advertisePort() : listenPort;
        registration = new Registration(config.hub(), id, () -> new VolunteerAnnouncer.Status(config.advertiseAddress(),
                port, Runtime.getRuntime().availableProcessors(), jobs, fetcher.hostArch(), advertised()), log);
        if (unusable != null) {
            return;
        }
        log.notice("jdistcc_hub", "volunteer " + id + " of hub " + config.hub() + ": fetching the toolchains for "
                + fetcher.hostArch() + " into " + config.cacheDir());
        boolean ok = link.sync();
        link.startLoop(ok);
    }

    private void trusted() {
        Registration r = registration;
        if (r != null) {
            r.start();
        }
    }

    /** Held toolchains the hub's manifest still offers for this machine (what clients may ask for). */
    private List<ToolchainDigest> advertised() {
        Optional<Manifest> m = fetcher.manifest();
        return cache.digests().stream().filter(d -> m.flatMap(x -> x.byDigest(d)).isPresent()).toList();
    }

    public HubLink.State state() {
        return link.state();
    }

    /** The block appended to the --stats page. */
    public String statusLines() {
        Registration r = registration;
        return StatusLines.render(config.hub(), link.state(), link.lastError(), id, r != null && r.registered(),
                cache.digests(), fetcher.manifest(), HostMemory.read());
    }

    /** Leaves the hub's list and stops the background work. */
    @Override
    public void close() {
        Registration r = registration;
        if (r != null) {
            r.close();
        }
        link.close();
    }

    /** Why fetched toolchains cannot run here, or null: sandbox tools missing, cache out of the compiler user's reach. */
    private static String whyUnusable(Path cacheDir, SandboxPolicy policy) {
        try {
            Sandbox.checkTools();
        } catch (FetchException.Unusable e) {
            return e.getMessage();
        }
        if (!runningAsRoot()) {
            return null;
        }
        for (Path p = cacheDir.toAbsolutePath(); p != null; p = p.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return "the sandbox user (uid " + policy.uid() + ") cannot reach the toolchain cache " + cacheDir
                            + ": " + p + " is not searchable by others (chmod o+x it, or choose --toolchain-cache elsewhere)";
                }
            } catch (IOException e) {
                return "cannot check " + p + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
