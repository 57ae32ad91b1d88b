package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.toolchain.sign.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance case: the volunteer boots before its hub is reachable. It must come up, say why it has no
 * toolchains, pick them up once the hub answers, register, and leave the hub's list on SIGTERM.
 */
class HubOutageTest {
    @TempDir
    static Path tmp;

    @Test
    void hubDownAtStartVolunteerServesThenFetchesRegistersAndLeavesOnSigterm() throws Exception {
        HubSupport.requireSandboxAndCompilers();
        Path work = Tools.openDir(tmp.resolve("w"));
        Path project = Fixtures.project(Tools.openDir(work.resolve("proj")));
        Path hubState = Files.createDirectories(work.resolve("hub"));
        // The hub's key exists before the hub runs (as on a machine whose hub is restarting).
        String key = SigningKey.loadOrCreate(hubState.resolve("signing-key.json")).publicKey().toString();
        int hubPort = Tools.freePort();
        java.net.URI hubUrl = java.net.URI.create("http://127.0.0.1:" + hubPort + "/");
        int statsPort = Tools.freePort();
        OurDistccd volunteer = HubSupport.startVolunteer(work.resolve("volunteer"), HubSupport.volunteerArgs(hubUrl, key,
                work.resolve("cache/toolchains"), "--volunteer-id", "outage-1", "--stats", "--stats-port",
                Integer.toString(statsPort)));
        Hub hub = null;
        try {
            assertTrue(volunteer.logText().contains("hub " + hubUrl + " is not usable: cannot reach"), volunteer.logText());
            String page = HubSupport.statsPage(statsPort);
            assertTrue(page.contains("\nhub_state unreachable\n") && page.contains("\ntoolchains_held 0\n"), page);

            hub = HubSupport.startHub(Hub.Config.defaults(hubState).withBind("127.0.0.1", hubPort)
                    .withCompilers(List.of("gcc")));
            HubSupport.awaitLog(volunteer, "1 of 1 toolchains for x86_64 ready");
            assertTrue(HubSupport.statsPage(statsPort).contains("\nhub_state ok\n"));

            Run local = Run.of(project, Map.of(), List.of("gcc", "-O2", "-Iinclude", "-c", "src/hello.c", "-o", "local.o"));
            assertEquals(0, local.exit(), local.stderr());
            Run remote = Run.distcc(project, work.resolve("client"), "127.0.0.1:" + volunteer.port, Map.of(),
                    List.of("gcc", "-O2", "-Iinclude", "-c", "src/hello.c", "-o", "remote.o"));
            assertEquals(0, remote.exit(), remote.stderr() + volunteer.logText());
            assertArrayEquals(Files.readAllBytes(project.resolve("local.o")), Files.readAllBytes(project.resolve("remote.o")));

            Hub h = hub;
            HubSupport.awaitVolunteerList(h, l -> l.contains("\"outage-1\""));
            volunteer.process.destroy(); // SIGTERM: drain, and leave the hub's list first
            assertTrue(volunteer.process.waitFor(2, TimeUnit.MINUTES));
            assertFalse(HubSupport.volunteerList(hub).contains("\"outage-1\""), "the volunteer left on SIGTERM");
            assertTrue(volunteer.logText().contains("left the hub's volunteer list"), volunteer.logText());
        } finally {
            volunteer.close();
            if (hub != null) {
                hub.close();
            }
        }
    }
}
