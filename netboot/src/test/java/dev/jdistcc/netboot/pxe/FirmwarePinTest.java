package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ArtifactException;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirmwarePinTest {

    @BeforeAll
    static void debianIpxeIsInstalled() {
        for (String f : List.of(FirmwarePin.BIOS_FILE, FirmwarePin.UEFI_FILE)) {
            assertTrue(Files.isRegularFile(FirmwarePin.DEBIAN_DIR.resolve(f)),
                    FirmwarePin.DEBIAN_DIR.resolve(f) + " is missing: apt-get install ipxe");
        }
    }

    @Test
    void installedDebianBinariesMatchThePins() throws Exception {
        for (FirmwarePin pin : FirmwarePin.debian(Map.of())) {
            pin.verify(FirmwarePin.DEBIAN_DIR.resolve(pin.file()));
        }
    }

    @Test
    void alteredBinaryIsRefusedWithItsDigestAndTheWayToAcceptIt(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve(FirmwarePin.BIOS_FILE);
        byte[] bytes = Files.readAllBytes(FirmwarePin.DEBIAN_DIR.resolve(FirmwarePin.BIOS_FILE));
        bytes[bytes.length / 2] ^= 1;
        Files.write(copy, bytes);
        FirmwarePin pin = FirmwarePin.debian(Map.of()).getFirst();
        ArtifactException e = assertThrows(ArtifactException.class, () -> pin.verify(copy));
        String actual = BootFile.sha256(copy);
        assertTrue(e.getMessage().contains("--ipxe-sha256 undionly.kpxe=" + actual), e.getMessage());
        assertTrue(e.getMessage().contains(FirmwarePin.DEBIAN_VERSION), e.getMessage());
        FirmwarePin.debian(Map.of(FirmwarePin.BIOS_FILE, actual)).getFirst().verify(copy);
    }

    @Test
    void missingBinaryNamesThePackage(@TempDir Path dir) throws Exception {
        FirmwarePin pin = FirmwarePin.debian(Map.of()).get(1);
        ArtifactException e = assertThrows(ArtifactException.class, () -> pin.verify(dir.resolve(pin.file())));
        assertTrue(e.getMessage().contains("apt-get install ipxe"), e.getMessage());
    }

    @Test
    void pinForAnUnusedFileOrAMalformedDigestIsRefused() {
        assertThrows(ConfigException.class, () -> FirmwarePin.debian(Map.of("ipxe.efi", "0".repeat(64))));
        assertThrows(ConfigException.class, () -> FirmwarePin.debian(Map.of(FirmwarePin.UEFI_FILE, "abc")));
    }

    @Test
    void tftpRootHoldsVerifiedCopiesAndTheEntryStub(@TempDir Path dir) throws Exception {
        Path root = TftpRoot.write(dir.resolve("tftp"), FirmwarePin.DEBIAN_DIR, FirmwarePin.debian(Map.of()),
                "http://10.0.2.100:8000");
        assertEquals(BootFile.sha256(FirmwarePin.DEBIAN_DIR.resolve(FirmwarePin.UEFI_FILE)),
                BootFile.sha256(root.resolve(FirmwarePin.UEFI_FILE)));
        String stub = Files.readString(root.resolve(TftpRoot.STUB));
        assertTrue(stub.contains("chain http://10.0.2.100:8000/boot/${netX/mac:hexhyp}/boot.ipxe"), stub);
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root)));
        assertFalse(Files.exists(root.resolve("ipxe.efi")));
    }
}
