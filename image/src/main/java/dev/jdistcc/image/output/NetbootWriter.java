package dev.jdistcc.image.output;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory to serve over HTTP for network boot: {@code vmlinuz}, {@code initrd.img}, a
 * {@code boot.ipxe} template and a manifest. The template has two placeholders the netboot server
 * fills in: {@code {{base_url}}} (the URL this directory is served under, no trailing slash) and
 * {@code {{cmdline_extra}}} (per-boot kernel arguments such as {@code jdistcc.hub=…}).
 */
final class NetbootWriter implements OutputWriter {

    @Override
    public String name() {
        return "netboot";
    }

    @Override
    public String description() {
        return "netboot/: vmlinuz, initrd.img, boot.ipxe template, netboot.properties, SHA256SUMS";
    }

    @Override
    public List<Path> write(BootArtifacts a, Path outDir, Path scratch) throws IOException {
        Path dir = outDir.resolve("netboot");
        Path kernel = Files2.copy(a.vmlinuz(), dir.resolve("vmlinuz"), a.epoch());
        Path initrd = Files2.copy(a.initrd(), dir.resolve("initrd.img"), a.epoch());
        Path script = Files2.text(dir.resolve("boot.ipxe"), ipxe(a), a.epoch());
        Path manifest = Files2.text(dir.resolve("netboot.properties"), """
                # jdistcc netboot artefacts (image %s); paths are relative to this directory.
                name=%s
                kernel=vmlinuz
                initrd=initrd.img
                script=boot.ipxe
                cmdline=%s
                """.formatted(a.name(), a.name(), a.cmdline()), a.epoch());
        List<Path> files = List.of(kernel, initrd, script, manifest);
        Path sums = Files2.text(dir.resolve("SHA256SUMS"), Files2.sha256sums(dir, files), a.epoch());
        Files2.touch(dir, a.epoch());
        return List.of(kernel, initrd, script, manifest, sums);
    }

    /**
     * {@code initrd=initrd.img} on the kernel line is required when iPXE boots the kernel's EFI stub
     * under UEFI, and harmless under BIOS. IPv4 {@code dhcp} only: old iPXE builds otherwise wait for
     * IPv6 router advertisements on IPv4-only LANs.
     */
    static String ipxe(BootArtifacts a) {
        return """
                #!ipxe
                # jdistcc appliance %s. Template: the netboot server replaces {{base_url}} and {{cmdline_extra}}.
                isset ${ip} || dhcp
                kernel {{base_url}}/vmlinuz initrd=initrd.img %s {{cmdline_extra}}
                initrd {{base_url}}/initrd.img
                boot
                """.formatted(a.name(), a.cmdline());
    }
}
