package dev.jdistcc.netboot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory layout is the image builder's netboot/ output (NetbootWriter on the image branch). */
class NetbootDirTest {

    @TempDir
    Path dir;

    void write(String manifest, boolean goodSums) throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "kernel bytes");
        Files.writeString(dir.resolve("initrd.img"), "initrd bytes");
        Files.writeString(dir.resolve("netboot.properties"), manifest);
        String k = BootFile.sha256(dir.resolve("vmlinuz"));
        String i = goodSums ? BootFile.sha256(dir.resolve("initrd.img")) : "0".repeat(64);
        Files.writeString(dir.resolve("SHA256SUMS"), k + "  vmlinuz\n" + i + "  initrd.img\n");
    }

    @Test
    void imageBuilderOutputLoadsWithItsCommandLine() throws Exception {
        write("""
                # jdistcc netboot artefacts (image appliance); paths are relative to this directory.
                name=appliance
                kernel=vmlinuz
                initrd=initrd.img
                script=boot.ipxe
                cmdline=console=ttyS0,115200 quiet
                """, true);
        BootArtifacts a = NetbootDir.load(dir);
        assertEquals("vmlinuz", a.kernel().name());
        assertEquals("initrd.img", a.initrds().getFirst().name());
        assertEquals(12, a.initrds().getFirst().size());
        assertEquals("console=ttyS0,115200 quiet", a.defaultCmdline());
    }

    @Test
    void unknownManifestKeyIsRefusedByName() throws Exception {
        write("kernel=vmlinuz\ninitrd=initrd.img\nkernal=x\n", true);
        ConfigException e = assertThrows(ConfigException.class, () -> NetbootDir.load(dir));
        assertTrue(e.getMessage().contains("'kernal'"), e.getMessage());
    }

    @Test
    void fileChangedAfterTheBuildIsRefused() throws Exception {
        write("kernel=vmlinuz\ninitrd=initrd.img\n", false);
        ArtifactException e = assertThrows(ArtifactException.class, () -> NetbootDir.load(dir));
        assertTrue(e.getMessage().contains("initrd.img") && e.getMessage().contains("Rebuild"), e.getMessage());
    }

    @Test
    void directoryWithoutManifestSaysWhatWasExpected() {
        ArtifactException e = assertThrows(ArtifactException.class, () -> NetbootDir.load(dir));
        assertTrue(e.getMessage().contains("netboot/ output of the image builder"), e.getMessage());
    }
}
