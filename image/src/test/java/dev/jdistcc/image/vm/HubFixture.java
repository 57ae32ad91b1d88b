package dev.jdistcc.image.vm;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.toolchain.sign.SigningKey;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** A real hub in-process on the host's loopback, for appliances that reach it through a QEMU guestfwd. */
final class HubFixture {

    /** The guest-side address of the hub: 10.0.2.100:3640, forwarded by QEMU to the hub's loopback port. */
    static final int GUEST_PORT = 3640;
    static final String GUEST_URL = "http://10.0.2.100:" + GUEST_PORT + "/";

    private HubFixture() {}

    /** Starts a hub packaging this machine's gcc and waits (bounded) until it has published it. */
    static Hub startWithGcc(Path state) throws Exception {
        Hub hub = Hub.start(Hub.Config.defaults(state).withCompilers(List.of("gcc")), e -> { });
        for (int i = 0; i < 3000; i++) {
            if (hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) >= 1) {
                return hub;
            }
            Thread.sleep(100);
        }
        hub.close();
        return fail("the hub did not publish its gcc toolchain within 5 minutes");
    }

    /** A well-formed ed25519 public key that belongs to no hub of the test. */
    static String strangerKey(Path dir) throws Exception {
        return SigningKey.loadOrCreate(dir.resolve("stranger-key.json")).publicKey().toString();
    }
}
