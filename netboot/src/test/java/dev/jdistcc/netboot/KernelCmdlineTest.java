package dev.jdistcc.netboot;

import dev.jdistcc.netboot.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelCmdlineTest {

    static final String KEY = TestKeys.KEY;

    @TempDir
    Path dir;

    BootArtifacts artifacts(String cmdline, String... initrds) throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "kernel");
        List<BootFile> files = new java.util.ArrayList<>();
        for (String name : initrds) {
            Files.writeString(dir.resolve(name), name);
            files.add(BootFile.of(name, dir.resolve(name)));
        }
        return BootArtifacts.of(BootFile.of("vmlinuz", dir.resolve("vmlinuz")), files, cmdline);
    }

    @Test
    void initrdNamesComeFirstThenImageDefaultsThenHubKeyAndExtras() throws Exception {
        String line = KernelCmdline.compose(artifacts("console=ttyS0,115200  quiet", "base.img", "java.img"),
                new BootConfig("http://10.0.0.1:3633/", KEY, List.of("jdistcc.jobs=2")));
        assertEquals("initrd=base.img initrd=java.img console=ttyS0,115200 quiet jdistcc.hub=http://10.0.0.1:3633/"
                + " jdistcc.key=" + KEY + " jdistcc.jobs=2", line);
    }

    @Test
    void missingHubAndKeyAreLeftOut() throws Exception {
        assertEquals("initrd=initrd.img", KernelCmdline.compose(artifacts("", "initrd.img"),
                new BootConfig(null, null, List.of())));
    }

    @Test
    void argumentsIpxeOrTheKernelWouldMangleAreRefused() throws Exception {
        BootArtifacts a = artifacts("", "initrd.img");
        for (String bad : new String[] {"a=\"b c\"", "x=${net0/ip}", "x=a\\b", "x='y'", "x=\u00e9", "x=\t"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> KernelCmdline.compose(a, new BootConfig(null, null, List.of(bad))), bad);
            assertTrue(e.getMessage().contains("iPXE and the kernel"), e.getMessage());
        }
    }

    @Test
    void keyThatIsNotAnEd25519PublicKeyIsRefusedWithWhereToGetOne() throws Exception {
        BootArtifacts a = artifacts("", "initrd.img");
        for (String bad : new String[] {"k", "ed25519:", "ed25519:AAAA", "ed25519:!!!!", "rsa:" + KEY.substring(8), "ab cd"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> KernelCmdline.compose(a, new BootConfig(null, bad, List.of())), bad);
            assertTrue(e.getMessage().contains("jdistcc-hub key"), e.getMessage());
        }
    }

    @Test
    void hubUrlMustBeAbsoluteHttp() throws Exception {
        BootArtifacts a = artifacts("", "initrd.img");
        for (String bad : new String[] {"10.0.0.1:3633", "ftp://h/", "http:///x", "http://h/ x"}) {
            assertThrows(ConfigException.class, () -> KernelCmdline.compose(a, new BootConfig(bad, null, List.of())), bad);
        }
        KernelCmdline.compose(a, new BootConfig("https://hub.lan:8443/jdistcc/", null, List.of()));
    }

    @Test
    void commandLineLongerThanTheX86LimitIsRefused() throws Exception {
        BootArtifacts a = artifacts("", "initrd.img");
        String big = "x=" + "a".repeat(2100);
        ConfigException e = assertThrows(ConfigException.class,
                () -> KernelCmdline.compose(a, new BootConfig(null, null, List.of(big))));
        assertTrue(e.getMessage().contains("2047"), e.getMessage());
    }
}
