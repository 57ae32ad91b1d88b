package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures in the middle of a job, with real processes: volunteer A (127.0.0.2) is stopped with SIGSTOP before
 * the job, so the job is provably in flight on it (the monitor record says so) when the test kills A or the
 * hub, or lets the stall bound expire. Volunteer B (127.0.0.1) is healthy. The build must still succeed with
 * the object a local compile gives.
 */
class ResidentFailureTest {
    @TempDir
    static Path dir;
    static Rig rig;
    @TempDir
    Path work;
    @TempDir
    Path distccDir;

    static final String SOURCE = "#include <stdio.h>\nint g(int x) { printf(\"%d\\n\", x); return x + 1; }\n";

    @BeforeAll
    static void build() throws Exception {
        rig = Rig.build(dir.resolve("dist"));
    }

    private Process launch(Map<String, String> env) throws Exception {
        Files.writeString(work.resolve("g.c"), SOURCE);
        return Rig.start(List.of(rig.masq.resolve("gcc").toString(), "-O2", "-c", "g.c", "-o", "g.o"), work, env);
    }

    private void assertLocalObject() throws Exception {
        assertArrayEquals(Rig.compileLocally(work, "g.c", "-O2"), Files.readAllBytes(work.resolve("g.o")));
    }

    @Test
    void aVolunteerKilledMidJobHasTheJobCompiledElsewhere() throws Exception {
        Process hub = null;
        try (Volunteer a = Volunteer.start("127.0.0.2"); Volunteer b = Volunteer.start("127.0.0.1")) {
            hub = rig.startHub(distccDir);
            a.stall();
            Process job = launch(rig.hubOnlyEnv(distccDir, a.hostSpec() + " " + b.hostSpec()));
            Rig.awaitJobOn(distccDir, job, "127.0.0.2");
            a.kill();
            Rig.Result r = Rig.finish(job, work);
            assertEquals(0, r.exit(), r.toString());
            assertEquals(1, b.awaitCompiled(1), b.log());
        } finally {
            Rig.stop(hub);
        }
        assertLocalObject();
    }

    @Test
    void aStalledVolunteerIsCutAtItsStallBoundAndTheJobCompilesElsewhere() throws Exception {
        Process hub = null;
        try (Volunteer a = Volunteer.start("127.0.0.2"); Volunteer b = Volunteer.start("127.0.0.1")) {
            hub = rig.startHub(distccDir, "--stall-min-seconds", "2");
            a.stall();
            Process job = launch(rig.hubOnlyEnv(distccDir, a.hostSpec() + " " + b.hostSpec()));
            Rig.awaitJobOn(distccDir, job, "127.0.0.2");
            Rig.Result r = Rig.finish(job, work);
            assertEquals(0, r.exit(), r.toString());
            assertEquals(1, b.awaitCompiled(1), b.log());
            assertEquals(0, a.compiled());
        } finally {
            Rig.stop(hub);
        }
        assertLocalObject();
    }

    @Test
    void theHubKilledMidJobLeavesTheJobToThePlainClient() throws Exception {
        try (Volunteer a = Volunteer.start("127.0.0.2")) {
            Process hub = rig.startHub(distccDir);
            a.stall();
            Process job = launch(rig.env(distccDir, a.hostSpec()));
            Rig.awaitJobOn(distccDir, job, "127.0.0.2");
            hub.destroyForcibly();
            hub.waitFor();
            a.resume();
            Rig.Result r = Rig.finish(job, work);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(a.awaitCompiled(1) >= 1, a.log());
        }
        assertLocalObject();
    }
}
