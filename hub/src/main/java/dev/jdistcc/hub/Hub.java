package dev.jdistcc.hub;

import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.hub.store.LocalToolchainStore;
import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.sign.SigningKey;
import io.undertow.server.RoutingHandler;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The assembled resident hub: signing key and bundles under a state directory, background packaging with
 * periodic rescans for new compilers, the volunteer registry with expiry, and the HTTP server.
 */
public final class Hub implements AutoCloseable {
    private final HubServer server;
    private final LocalToolchainStore store;
    private final InMemoryVolunteerRegistry registry;
    private final ScheduledExecutorService background;

    /**
     * @param compilers which compilers to package (re-evaluated on every rescan)
     * @param rescan    how often to look for new or upgraded compilers
     */
    /**
     * @param packageNow asked before each packaging round; false skips it (an on-demand hub packages only
     *                   while no build is running, so it never competes with the compiles it serves)
     */
    public record Config(Path stateDir, String bindHost, int port, Supplier<List<String>> compilers, Duration rescan,
                         Duration heartbeat, Path hostsFile, Compression compression, BooleanSupplier packageNow) {
        public Config(Path stateDir, String bindHost, int port, Supplier<List<String>> compilers, Duration rescan,
                      Duration heartbeat, Path hostsFile, Compression compression) {
            this(stateDir, bindHost, port, compilers, rescan, heartbeat, hostsFile, compression, () -> true);
        }

        public static Config defaults(Path stateDir) {
            return new Config(stateDir, "127.0.0.1", 0, LocalToolchainStore::discoverOnPath, Duration.ofMinutes(1),
                    Duration.ofSeconds(10), stateDir.resolve("hosts"), Compression.ZSTD);
        }

        public Config withCompilers(List<String> names) {
            return new Config(stateDir, bindHost, port, () -> names, rescan, heartbeat, hostsFile, compression, packageNow);
        }

        public Config withBind(String host, int p) {
            return new Config(stateDir, host, p, compilers, rescan, heartbeat, hostsFile, compression, packageNow);
        }

        public Config withPackagingGate(BooleanSupplier gate) {
            return new Config(stateDir, bindHost, port, compilers, rescan, heartbeat, hostsFile, compression, gate);
        }
    }

    private Hub(HubServer server, LocalToolchainStore store, InMemoryVolunteerRegistry registry,
                ScheduledExecutorService background) {
        this.server = server;
        this.store = store;
        this.registry = registry;
        this.background = background;
    }

    /** Starts serving at once; the first packaging round runs in the background. */
    public static Hub start(Config c, Consumer<HubEvent> events) throws IOException, ToolchainException.BadManifest {
        return start(c, events, UnaryOperator.identity());
    }

    /**
     * As {@link #start(Config, Consumer)}, with more routes on the same HTTP server (e.g. netboot's handlers under
     * {@code /netboot}); see {@link HubServer.Builder#extraRoutes}.
     */
    public static Hub start(Config c, Consumer<HubEvent> events, UnaryOperator<RoutingHandler> extraRoutes)
            throws IOException, ToolchainException.BadManifest {
        java.nio.file.Files.createDirectories(c.stateDir());
        SigningKey key = SigningKey.loadOrCreate(c.stateDir().resolve("signing-key.json"));
        LocalToolchainStore store = new LocalToolchainStore(c.stateDir(), key, c.compression(), c.compilers(), events);
        InMemoryVolunteerRegistry registry = new InMemoryVolunteerRegistry(Clock.systemUTC(), c.heartbeat());
        registry.onChange(() -> { });
        HubServer server = HubServer.builder(store, registry).bind(c.bindHost(), c.port()).hostsFile(c.hostsFile())
                .events(events).extraRoutes(extraRoutes).start();
        ScheduledExecutorService bg = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("hub-bg-", 0).factory());
        bg.scheduleWithFixedDelay(() -> {
            if (c.packageNow().getAsBoolean()) {
                store.rescan();
            }
        }, 0, c.rescan().toMillis(), TimeUnit.MILLISECONDS);
        bg.scheduleWithFixedDelay(() -> {
            for (Volunteer v : registry.expire()) {
                events.accept(new HubEvent.VolunteerDropped(v.id(), "no heartbeat for " + registry.expiry().toSeconds() + " s"));
            }
        }, c.heartbeat().toMillis(), c.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        return new Hub(server, store, registry, bg);
    }

    public URI url() {
        return server.url();
    }

    public LocalToolchainStore store() {
        return store;
    }

    public InMemoryVolunteerRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        background.shutdownNow();
        server.close();
    }
}
