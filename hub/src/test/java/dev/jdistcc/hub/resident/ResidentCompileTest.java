package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident path end to end: the real native launcher through masquerade links, a real hub process, real
 * gcc and a real distccd 3.4. The launcher's own fallback (the plain JVM client) is disabled in these jobs,
 * so whatever succeeds was done by the hub.
 */
class ResidentCompileTest {
    @TempDir
    static Path dir;
    @AutoClose
    static HubWithVolunteer fixture;
    static Rig rig;
    static Volunteer volunteer;
    static Path distccDir;
    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        fixture = HubWithVolunteer.start(dir);
        rig = fixture.rig();
        volunteer = fixture.volunteer();
        distccDir = fixture.distccDir();
    }

    Map<String, String> env() {
        return rig.hubOnlyEnv(distccDir, volunteer.hostSpec());
    }

    List<String> gcc(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(rig.masq.resolve("gcc").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void masqueradeCompileThroughTheHubGivesTheLocalObject() throws Exception {
        Files.writeString(work.resolve("f.c"), "#include <string.h>\nint f(const char *s) { return (int) strlen(s) * 3; }\n");
        Rig.Result r = Rig.run(gcc("-O2", "-c", "f.c", "-o", "f.o"), work, env(), null);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());
        assertTrue(volunteer.awaitCompiledFile("f.c"), volunteer.log());
        assertArrayEquals(Rig.compileLocally(work, "f.c", "-O2"), Files.readAllBytes(work.resolve("f.o")));
    }

    @Test
    void preprocessorOnlyJobToStdoutRunsInTheLauncherWithItsStdin() throws Exception {
        Rig.Result r = Rig.run(gcc("-E", "-DANSWER=42", "-"), work, env(), "int x = ANSWER;\n");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("int x = 42;"), r.toString());
    }

    @Test
    void linkingRunsInTheLauncher() throws Exception {
        Files.writeString(work.resolve("m.c"), "#include <stdio.h>\nint main(void) { puts(\"linked\"); return 0; }\n");
        assertEquals(0, Rig.run(gcc("-c", "m.c", "-o", "m.o"), work, env(), null).exit());
        Rig.Result link = Rig.run(gcc("m.o", "-o", "prog"), work, env(), null);
        assertEquals(0, link.exit(), link.toString());
        Rig.Result run = Rig.run(List.of(work.resolve("prog").toString()), work, Map.of(), null);
        assertEquals("linked\n", run.stdout());
    }

    @Test
    void filesOfTheJobGetTheLaunchersUmaskNotTheHubs() throws Exception {
        Files.writeString(work.resolve("u.c"), "int u;\n");
        List<String> cmd = List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" -c u.c -o u.o -MD", rig.masq.resolve("gcc").toString());
        Rig.Result r = Rig.run(cmd, work, env(), null);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("u.o"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("u.d"))));
    }

    @Test
    void distccsOwnOptionsAreAnsweredByTheHub() throws Exception {
        Rig.Result v = Rig.run(List.of(rig.launcher().toString(), "--version"), work, env(), null);
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.stdout().startsWith("distcc 3.4 "), v.toString());
        Rig.Result h = Rig.run(List.of(rig.launcher().toString(), "--show-hosts"), work, env(), null);
        assertEquals(volunteer.hostSpec() + "\n", h.stdout());
    }

    @Test
    void aCompileErrorIsReportedAsThePlainClientReportsIt() throws Exception {
        Files.writeString(work.resolve("bad.c"), "int main(void) { return undeclared_thing; }\n");
        Rig.Result resident = Rig.run(gcc("-c", "bad.c", "-o", "bad.o"), work, env(), null);
        Map<String, String> plain = rig.env(distccDir, volunteer.hostSpec());
        plain.put("JDISTCC_HUB_SOCKET", work.resolve("no-hub.sock").toString());
        plain.put("JDISTCC_NO_HUB", "1");
        Rig.Result jvm = Rig.run(gcc("-c", "bad.c", "-o", "bad.o"), work, plain, null);
        assertEquals(jvm.exit(), resident.exit());
        assertEquals(1, resident.exit());
        assertEquals(jvm.stderr().replaceAll("distcc\\[\\d+\\]", "distcc[PID]"),
                resident.stderr().replaceAll("distcc\\[\\d+\\]", "distcc[PID]"));
        assertTrue(resident.stderr().contains("undeclared_thing"), resident.toString());
    }

    @Test
    void aDirectInvocationWithTheImplicitCompilerWorks() throws Exception {
        Files.writeString(work.resolve("i.c"), "int i(void) { return 1; }\n");
        Rig.Result r = Rig.run(List.of(rig.launcher().toString(), "-c", "i.c", "-o", "i.o"), work, env(), null);
        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(Rig.compileLocally(work, "i.c"), Files.readAllBytes(work.resolve("i.o")));
    }
}
