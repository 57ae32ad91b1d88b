package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.TftpRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jdistcc-netboot tftp-root DIR --base-url URL}: writes the pinned iPXE binaries and the entry
 * script into DIR, for a DHCP/TFTP server netboot does not run itself (e.g. QEMU's
 * {@code -netdev user,tftp=DIR,bootfile=boot.ipxe}).
 */
@Command(name = "tftp-root", mixinStandardHelpOptions = true,
        description = "Writes a TFTP root (undionly.kpxe, snponly.efi, boot.ipxe) for another DHCP/TFTP server.")
public final class TftpRootCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to fill (created if missing).")
    Path dir;

    @Option(names = "--base-url", required = true, paramLabel = "URL",
            description = "Where 'serve' (or the hub's netboot handler) is reachable, e.g. http://10.0.2.100:8080")
    String baseUrl;

    @Option(names = "--ipxe-dir", defaultValue = "/usr/lib/ipxe", paramLabel = "DIR",
            description = "Where undionly.kpxe and snponly.efi are (default: ${DEFAULT-VALUE}).")
    Path ipxeDir;

    @Option(names = "--ipxe-sha256", paramLabel = "FILE=DIGEST",
            description = "Accept another digest for an iPXE binary (after an ipxe package upgrade).")
    Map<String, String> ipxePins = new HashMap<>();

    @Override
    public Integer call() {
        try {
            String base = dev.jdistcc.netboot.KernelCmdline.checkHubUrl(baseUrl.replaceAll("/+$", ""));
            TftpRoot.write(dir, ipxeDir, FirmwarePin.debian(ipxePins), base);
        } catch (NetbootException e) {
            spec.commandLine().getErr().println("jdistcc-netboot: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println("wrote " + dir + ": " + FirmwarePin.BIOS_FILE + ", " + FirmwarePin.UEFI_FILE
                + ", " + TftpRoot.STUB + " (chains to " + baseUrl + ")");
        return 0;
    }
}
