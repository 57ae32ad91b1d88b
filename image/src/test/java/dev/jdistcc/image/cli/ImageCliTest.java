package dev.jdistcc.image.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ImageMain());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void outputsListsEveryWriterByName() {
        assertEquals(0, run("outputs"));
        for (String name : new String[] {"kernel-initrd", "iso", "netboot"}) {
            assertTrue(out.toString().contains(name), out.toString());
        }
    }

    @Test
    void badPlanKeyExitsWithTwoAndAOneLineMessageNamingTheKey(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("bad.plan"),
                Files.readString(Path.of("examples/appliance.plan")) + "kernel.driver = e1000\n");
        int exit = run("build", "--plan", plan.toString(), "--out", dir.resolve("out").toString(),
                "--cache", dir.resolve("cache").toString());
        assertEquals(2, exit);
        assertTrue(err.toString().startsWith("jdistcc-image: Plan error: "), err.toString());
        assertTrue(err.toString().contains("unknown key 'kernel.driver'"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace without --stacktrace");
    }

    @Test
    void unknownSetKeyIsRejectedBeforeAnythingIsFetched(@TempDir Path dir) {
        int exit = run("build", "--plan", "examples/appliance.plan", "--out", dir.resolve("out").toString(),
                "--cache", dir.resolve("cache").toString(), "--set", "compresion.level=3");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("--set compresion.level: unknown key"), err.toString());
        assertFalse(Files.exists(dir.resolve("cache")));
    }
}
