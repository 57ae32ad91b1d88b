package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.server.volunteer.VolunteerConfig;
import dev.jdistcc.toolchain.sign.SigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --hub family is strict: a volunteer that would run without a usable key or with a stray option never starts. */
class VolunteerOptionsTest {
    static final String KEY = SigningKey.generate().publicKey().toString();
    @TempDir
    Path dir;

    /** Parses and validates in-process; only invalid command lines are given, so nothing starts. */
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        DistccdCommand cmd = new DistccdCommand(args, new PrintWriter(out), new PrintWriter(err));
        int code = DistccdCommand.commandLine(cmd).execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    static void assertBad(String expectedText, String... args) {
        String[] r = run(args);
        assertEquals("101", r[0], String.join(" ", args) + ": " + r[1]);
        assertTrue(r[1].contains(expectedText), r[1]);
    }

    @Test
    void volunteerOptionsWithoutHubAreRejected() {
        assertBad("need --hub", "--no-detach", "--trust", KEY);
        assertBad("need --hub", "--no-detach", "--advertise-port", "4000");
    }

    @Test
    void hubNeedsExactlyOneValidKey() throws Exception {
        assertBad("exactly one of --trust", "--no-detach", "--hub", "http://127.0.0.1:1/");
        Path f = Files.writeString(dir.resolve("key"), "# the hub's key\n" + KEY + "\n");
        assertBad("exactly one of --trust", "--no-detach", "--hub", "http://127.0.0.1:1/", "--trust", KEY,
                "--trust-file", f.toString());
        assertBad("--trust: ", "--no-detach", "--hub", "http://127.0.0.1:1/", "--trust", "ed25519:AAAA");
        assertBad("holds no key", "--no-detach", "--hub", "http://127.0.0.1:1/", "--trust-file",
                Files.writeString(dir.resolve("empty"), "# nothing\n").toString());
    }

    @Test
    void hubUrlBudgetPortAndIdAreChecked() {
        assertBad("expected http://HOST:PORT/", "--no-detach", "--hub", "ftp://127.0.0.1/", "--trust", KEY);
        assertBad("not a size", "--no-detach", "--hub", "http://h/", "--trust", KEY, "--toolchain-cache-budget", "lots");
        assertBad("out of range", "--no-detach", "--hub", "http://h/", "--trust", KEY, "--advertise-port", "0");
        assertBad("--volunteer-id", "--no-detach", "--hub", "http://h/", "--trust", KEY, "--volunteer-id", "a/b");
    }

    @Test
    void cacheBudgetTakesBinaryUnits() {
        assertEquals(8L << 30, VolunteerConfig.parseSize("8G"));
        assertEquals(512L << 20, VolunteerConfig.parseSize("512M"));
        assertEquals(4L << 30, VolunteerConfig.parseSize("4GiB"));
        assertEquals(100L << 10, VolunteerConfig.parseSize("100k"));
        assertEquals(1073741824L, VolunteerConfig.parseSize("1073741824"));
        for (String bad : List.of("", "G", "-1G", "0", "1.5G", "99999999999T")) {
            assertThrows(IllegalArgumentException.class, () -> VolunteerConfig.parseSize(bad), bad);
        }
    }
}
