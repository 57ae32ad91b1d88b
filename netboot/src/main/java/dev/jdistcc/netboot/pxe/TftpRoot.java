package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ArtifactException;
import dev.jdistcc.netboot.IpxeScript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The TFTP tree for firmware that starts with plain PXE: the pinned iPXE binaries and {@code boot.ipxe},
 * the entry script (chaining over HTTP to the machine's own script) (for DHCP servers that can only name a TFTP file,
 * such as QEMU's built-in one). World-readable, because dnsmasq serves it after dropping to "nobody".
 */
public final class TftpRoot {

    public static final String STUB = "boot.ipxe";

    private TftpRoot() {}

    /**
     * Fills {@code dir} (created if needed). Each binary is copied and the copy verified, so what is
     * served is exactly what was checked.
     *
     * @param baseUrl where the netboot HTTP handler is mounted, e.g. {@code http://10.0.0.1:8080}
     */
    public static Path write(Path dir, Path firmwareDir, List<FirmwarePin> pins, String baseUrl)
            throws ArtifactException {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (FirmwarePin pin : pins) {
                Path source = firmwareDir.resolve(pin.file());
                pin.verify(source);
                Path copy = dir.resolve(pin.file());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                pin.verify(copy);
            }
            Path stub = dir.resolve(STUB);
            Files.writeString(stub, IpxeScript.entry(baseUrl), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rw-r--r--"));
            return dir;
        } catch (IOException e) {
            throw new ArtifactException("cannot write the TFTP root " + dir + ": " + e.getMessage(), e);
        }
    }
}
