package dev.jdistcc.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dist/bin/jdistcc-netboot} runs from the assembled layout (its classes and the hub's are in lib/). */
class NetbootLauncherIT {

    @Test
    void netbootLauncherShowsServeAndRefusesLoopbackBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path bin = Dist.HOME.resolve("bin/jdistcc-netboot");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JDISTCC_JAVA", Dist.JAVA);
        Dist.Result help = Dist.run(List.of(), List.of(bin.toString(), "serve", "--help"), dir, env);
        assertEquals(0, help.exit(), help.stderr());
        assertTrue(help.stdout().contains("--interface") && help.stdout().contains("--state"), help.stdout());
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initrd.img"), "i");
        Dist.Result lo = Dist.run(List.of(), List.of(bin.toString(), "serve", "-i", "lo", "--kernel", "vmlinuz",
                "--initrd", "initrd.img", "--state", dir.resolve("hub").toString()), dir, env);
        assertEquals(2, lo.exit(), lo.stdout() + lo.stderr());
        assertTrue(lo.stderr().contains("loopback"), lo.stderr());
        assertTrue(!Files.exists(dir.resolve("hub")), "the hub was started although serve was refused");
    }
}
