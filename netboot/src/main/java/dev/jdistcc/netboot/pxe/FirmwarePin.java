package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ArtifactException;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An iPXE binary handed to firmware that starts with plain PXE, pinned by SHA-256. The defaults are the
 * files of Debian 12's {@code ipxe} package ({@value #DEBIAN_VERSION}, installed in {@code /usr/lib/ipxe}):
 * {@code undionly.kpxe} for BIOS PXE ROMs (drives the NIC through the ROM's UNDI API) and
 * {@code snponly.efi} for UEFI (drives it through the firmware's SNP protocol), so neither needs a NIC driver.
 *
 * @param file   the file name in the firmware directory and in the TFTP root
 * @param sha256 lower-case hex digest the file must have
 */
public record FirmwarePin(String file, String sha256) {

    public static final String DEBIAN_VERSION = "1.0.0+git-20190125.36a4c85-5.1";
    public static final Path DEBIAN_DIR = Path.of("/usr/lib/ipxe");
    public static final String BIOS_FILE = "undionly.kpxe";
    public static final String UEFI_FILE = "snponly.efi";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public FirmwarePin {
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest: " + sha256);
        }
    }

    /** Debian's binaries, with {@code overrides} (file name to digest) replacing pins, e.g. after an upgrade. */
    public static List<FirmwarePin> debian(Map<String, String> overrides) throws ConfigException {
        List<FirmwarePin> pins = new ArrayList<>();
        for (FirmwarePin p : List.of(
                new FirmwarePin(BIOS_FILE, "f09cfbe9bbd39c3f5eb9cdf7386b520a4f5858bbc4438960c5b870c7a8930a7f"),
                new FirmwarePin(UEFI_FILE, "18fc84b69172b9f7d1e6b5274c81121dde429fdacfdc984747f687cfb4f8090b"))) {
            String digest = overrides.getOrDefault(p.file(), p.sha256());
            if (!HEX64.matcher(digest.toLowerCase(Locale.ROOT)).matches()) {
                throw new ConfigException("'" + digest + "' is not a SHA-256 digest (64 hex digits) for " + p.file());
            }
            pins.add(new FirmwarePin(p.file(), digest));
        }
        for (String name : overrides.keySet()) {
            if (!name.equals(BIOS_FILE) && !name.equals(UEFI_FILE)) {
                throw new ConfigException("no iPXE binary named '" + name + "' is used; pins exist for "
                        + BIOS_FILE + " and " + UEFI_FILE);
            }
        }
        return List.copyOf(pins);
    }

    /** Refuses {@code path} unless it exists and has this pin's digest. */
    public void verify(Path path) throws ArtifactException {
        if (!Files.isRegularFile(path)) {
            throw new ArtifactException(path + " is missing. It comes from Debian's ipxe package: apt-get install ipxe");
        }
        String actual;
        try {
            actual = BootFile.sha256(path);
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (!actual.equals(sha256)) {
            throw new ArtifactException(path + " has sha256 " + actual + ", but netboot pins " + sha256
                    + " (Debian ipxe " + DEBIAN_VERSION + "). Firmware is only handed to booting machines if it is the"
                    + " binary that was tested. If the ipxe package was upgraded, check it with 'dpkg -V ipxe' and accept"
                    + " the new file with --ipxe-sha256 " + file + "=" + actual);
        }
    }
}
