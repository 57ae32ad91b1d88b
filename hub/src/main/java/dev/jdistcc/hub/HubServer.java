package dev.jdistcc.hub;

import dev.jdistcc.hub.http.ToolchainHandlers;
import dev.jdistcc.hub.http.VolunteerHandlers;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.hub.store.ToolchainStore;
import dev.jdistcc.hub.volunteers.VolunteerCodec;
import dev.jdistcc.hub.volunteers.VolunteerRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The hub's HTTP front: Undertow routing over small core APIs ({@link ToolchainStore}, {@link VolunteerRegistry}).
 * Later features add routes through {@link Builder#extraRoutes} (a scheduler, netboot files) without touching
 * these handlers. Binds to loopback unless told otherwise; port 0 picks a free port, see {@link #url()}.
 */
public final class HubServer implements AutoCloseable {
    private final Undertow undertow;
    private final URI url;

    private HubServer(Undertow undertow, URI url) {
        this.undertow = undertow;
        this.url = url;
    }

    public static Builder builder(ToolchainStore store, VolunteerRegistry registry) {
        return new Builder(store, registry);
    }

    public static final class Builder {
        private final ToolchainStore store;
        private final VolunteerRegistry registry;
        private String host = "127.0.0.1";
        private int port;
        private Path hostsFile;
        private UnaryOperator<RoutingHandler> extraRoutes = UnaryOperator.identity();
        private Consumer<HubEvent> events = e -> { };

        private Builder(ToolchainStore store, VolunteerRegistry registry) {
            this.store = store;
            this.registry = registry;
        }

        public Builder bind(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Keep a distcc host file in sync with the live volunteer list (written atomically on each change). */
        public Builder hostsFile(Path file) {
            this.hostsFile = file;
            return this;
        }

        public Builder extraRoutes(UnaryOperator<RoutingHandler> routes) {
            this.extraRoutes = routes;
            return this;
        }

        public Builder events(Consumer<HubEvent> events) {
            this.events = events;
            return this;
        }

        public HubServer start() {
            RoutingHandler routes = Handlers.routing();
            new ToolchainHandlers(store).routes(routes);
            new VolunteerHandlers(registry, events).routes(routes);
            extraRoutes.apply(routes);
            routes.setFallbackHandler(ex -> {
                ex.setStatusCode(404);
                ex.getResponseSender().send("not found\n");
            });
            HttpHandler root = new BlockingHandler(routes);
            if (hostsFile != null) {
                Path f = hostsFile;
                registry.onChange(() -> writeHosts(f, registry));
                writeHosts(f, registry);
            }
            Undertow u = Undertow.builder().addHttpListener(port, host).setHandler(root).setIoThreads(2)
                    .setWorkerThreads(16).build();
            u.start();
            InetSocketAddress bound = (InetSocketAddress) u.getListenerInfo().getFirst().getAddress();
            String h = bound.getAddress().getHostAddress();
            URI url = URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + bound.getPort() + "/");
            return new HubServer(u, url);
        }
    }

    private static void writeHosts(Path file, VolunteerRegistry registry) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, VolunteerCodec.writeHosts(registry.live()));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the hosts file " + file, e);
        }
    }

    /** The base URL, e.g. http://127.0.0.1:41234/ — what volunteers are given. */
    public URI url() {
        return url;
    }

    public List<Undertow.ListenerInfo> listeners() {
        return undertow.getListenerInfo();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
