package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.handoff.HandoffServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How hubs come and go: started by a launcher, racing each other, leaving when idle. */
class ResidentStartTest {
    @TempDir
    static Path dir;
    static Rig rig;
    static Volunteer volunteer;
    @TempDir
    Path work;
    @TempDir
    Path distccDir;

    @BeforeAll
    static void start() throws Exception {
        rig = Rig.build(dir.resolve("dist"));
        volunteer = Volunteer.start("127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (volunteer != null) {
            volunteer.close();
        }
    }

    private Rig.Result compile(java.util.Map<String, String> env, String name) throws Exception {
        Files.writeString(work.resolve(name + ".c"), "int " + name + "(int x) { return x * 7; }\n");
        return Rig.run(List.of(rig.masq.resolve("gcc").toString(), "-c", name + ".c", "-o", name + ".o"), work, env, null);
    }

    @Test
    void withoutAHubTheJobCompilesThroughThePlainClientAndAHubIsStarted() throws Exception {
        Rig.Result first = compile(rig.env(distccDir, volunteer.hostSpec()), "first");
        assertEquals(0, first.exit(), first.toString());
        assertArrayEquals(Rig.compileLocally(work, "first.c"), Files.readAllBytes(work.resolve("first.o")));
        Rig.awaitServing(distccDir, null);
        long pid = Long.parseLong(Files.readString(Rig.socket(distccDir).resolveSibling("hub.sock.pid")).trim());
        try {
            Rig.Result second = compile(rig.hubOnlyEnv(distccDir, volunteer.hostSpec()), "second");
            assertEquals(0, second.exit(), "the started hub serves: " + second);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void ofTwoHubsStartedAtOnceOneServesAndTheOtherLeavesQuietly() throws Exception {
        Process one = null;
        Process two = null;
        try {
            one = hubProcess();
            two = hubProcess();
            while (one.isAlive() && two.isAlive()) {
                Thread.sleep(100);
            }
            Process loser = one.isAlive() ? two : one;
            Process winner = loser == one ? two : one;
            assertTrue(loser.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, loser.exitValue());
            Rig.awaitServing(distccDir, winner);
            Rig.Result r = compile(rig.hubOnlyEnv(distccDir, volunteer.hostSpec()), "raced");
            assertEquals(0, r.exit(), r.toString());
        } finally {
            Rig.stop(one);
            Rig.stop(two);
        }
    }

    @Test
    void anOnDemandHubLeavesWhenIdleAndRemovesItsSocket() throws Exception {
        Process hub = rig.startHub(distccDir, "--idle-exit-seconds", "1");
        try {
            assertTrue(hub.waitFor(120, TimeUnit.SECONDS), "the idle hub exits");
            assertEquals(0, hub.exitValue());
            assertFalse(Files.exists(Rig.socket(distccDir)));
            assertFalse(HandoffServer.isLive(Rig.socket(distccDir)));
        } finally {
            Rig.stop(hub);
        }
    }

    private Process hubProcess() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(rig.home.resolve("bin/jdistcc-hub").toString(), "serve", "--on-demand",
                "--no-http", "--socket", Rig.socket(distccDir).toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JDISTCC_JAVA", Rig.JAVA);
        pb.environment().put("JDISTCC_CLASSPATH", System.getProperty("java.class.path"));
        return pb.start();
    }
}
