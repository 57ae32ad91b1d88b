package dev.jdistcc.image.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.toolchain.sign.SigningKey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** A real hub in-process on the host's loopback, for appliances that reach it through a QEMU guestfwd. */
final class HubFixture {

    /** The guest-side address of the hub, forwarded by QEMU to the hub's loopback port. */
    static final String GUEST_URL = "http://" + Qemu.HUB_GUEST_ADDRESS + ":" + Qemu.HUB_GUEST_PORT + "/";

    private HubFixture() {}

    /**
     * The public key of the hub that {@link #startWithGcc} will start in {@code state}: created first, so an
     * image (whose boot menu carries the key) can be built before the hub runs.
     */
    static String key(Path state) throws Exception {
        java.nio.file.Files.createDirectories(state);
        return SigningKey.loadOrCreate(state.resolve("signing-key.json")).publicKey().toString();
    }

    /** Starts a hub on an ephemeral loopback port packaging this machine's gcc; waits until it has published it. */
    static Hub startWithGcc(Path state) throws Exception {
        return startWithGcc(state, 0);
    }

    /** As {@link #startWithGcc(Path)}, on loopback port {@code port} (0: ephemeral). */
    static Hub startWithGcc(Path state, int port) throws Exception {
        Hub hub = Hub.start(Hub.Config.defaults(state).withCompilers(List.of("gcc")).withBind("127.0.0.1", port), e -> { });
        for (int i = 0; i < 3000; i++) {
            if (hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) >= 1) {
                return hub;
            }
            Thread.sleep(100);
        }
        hub.close();
        return fail("the hub did not publish its gcc toolchain within 5 minutes");
    }

    /** The digest (hex) of the one toolchain the hub publishes. */
    static String gccDigest(Hub hub) {
        return hub.store().manifest().orElseThrow().manifest().toolchains().getFirst().digest().hex();
    }

    /**
     * Waits until the hub's volunteer registry lists {@code id} holding the toolchain {@code digest} (woken by the
     * registry's change listener; bounded by {@code timeout}); fails with {@code context} (the console) otherwise.
     */
    static Volunteer awaitVolunteer(Hub hub, String id, String digest, Duration timeout, Supplier<String> context)
            throws InterruptedException {
        Object changed = new Object();
        hub.registry().onChange(() -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                Optional<Volunteer> v = hub.registry().live().stream()
                        .filter(x -> x.id().equals(id) && x.toolchains().contains(digest)).findFirst();
                if (v.isPresent()) {
                    return v.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail("the hub never listed volunteer " + id + " with toolchain " + digest + "; registry: "
                            + hub.registry().live() + "\nconsole:\n" + context.get());
                }
                changed.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
            }
        }
    }

    /** The hub's volunteer list as its HTTP API serves it ({@code GET /v1/volunteers}). */
    static String volunteerList(Hub hub) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            URI uri = hub.url().resolve("v1/volunteers");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }

    /** A well-formed ed25519 public key that belongs to no hub of the test. */
    static String strangerKey(Path dir) throws Exception {
        return SigningKey.loadOrCreate(dir.resolve("stranger-key.json")).publicKey().toString();
    }
}
