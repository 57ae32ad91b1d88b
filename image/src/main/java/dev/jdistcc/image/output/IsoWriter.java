package dev.jdistcc.image.output;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.exec.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hybrid ISO that boots from CD and from a USB stick, with BIOS (ISOLINUX, isohybrid MBR) and UEFI (GPT,
 * a FAT ESP image made with mtools). UEFI loader, by {@code boot.efi}: {@code grub}, a GRUB EFI binary made
 * by grub-mkimage (Secure Boot must be off), or {@code shim}, Debian's signed shim and CD GRUB, which boot
 * with Secure Boot on (the Debian kernel and its modules are signed; the initramfs is not checked).
 * Boot-loader files come from pinned packages ({@code boot.packages}), not from the build host. No root,
 * loop devices or mounts. Reproducible: grub-mkimage without memdisk is deterministic, the ESP gets a
 * fixed serial and file times, xorriso gets fixed dates, and {@code -r} makes Rock Ridge owners 0.
 */
final class IsoWriter implements OutputWriter {

    /** Built into BOOTX64.EFI, so GRUB needs no module directory on the medium. */
    private static final List<String> GRUB_MODULES = List.of("linux", "normal", "search", "search_fs_file",
            "configfile", "iso9660", "fat", "part_gpt", "part_msdos", "serial", "terminal", "echo", "test",
            "all_video", "efi_gop", "gfxterm", "sleep");

    @Override
    public String name() {
        return "iso";
    }

    @Override
    public String description() {
        return "hybrid ISO: CD and USB stick, BIOS (ISOLINUX) and UEFI (GRUB, or shim for Secure Boot)";
    }

    @Override
    public List<Path> write(BootArtifacts a, Path outDir, Path scratch) throws ImageException, IOException {
        Path isohybridMbr = a.bootFile("isolinux", "usr/lib/ISOLINUX/isohdpfx.bin");
        Path root = scratch.resolve("iso-root");
        Files2.copy(a.vmlinuz(), root.resolve("boot/vmlinuz"), a.epoch());
        Files2.copy(a.initrd(), root.resolve("boot/initrd.img"), a.epoch());
        Files2.copy(a.bootFile("isolinux", "usr/lib/ISOLINUX/isolinux.bin"), root.resolve("isolinux/isolinux.bin"), a.epoch());
        Files2.copy(a.bootFile("syslinux-common", "usr/lib/syslinux/modules/bios/ldlinux.c32"),
                root.resolve("isolinux/ldlinux.c32"), a.epoch());
        Files2.text(root.resolve("isolinux/isolinux.cfg"), isolinuxCfg(a), a.epoch());
        Files2.text(root.resolve("boot/grub/grub.cfg"), grubCfg(a), a.epoch());
        Path esp = scratch.resolve("esp");
        if (a.efi().equals("shim")) {
            // Debian's signed CD GRUB finds its medium by /.disk/info, then reads /boot/grub/grub.cfg.
            Files2.text(root.resolve(".disk/info"), "jdistcc appliance " + a.name() + "\n", a.epoch());
            Files2.copy(a.bootFile("shim-signed", "usr/lib/shim/shimx64.efi.signed"), esp.resolve("EFI/BOOT/BOOTX64.EFI"), a.epoch());
            Files2.copy(a.bootFile("grub-efi-amd64-signed", "usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed"),
                    esp.resolve("EFI/BOOT/grubx64.efi"), a.epoch());
        } else {
            String marker = "/boot/jdistcc-" + a.name() + ".id";
            Files2.text(root.resolve(marker.substring(1)), a.name() + "\n", a.epoch());
            grubEfi(a, scratch, esp.resolve("EFI/BOOT/BOOTX64.EFI"), marker);
        }
        Files2.touchTree(esp, a.epoch());
        esp(esp, root.resolve("boot/efiboot.img"), scratch, a.epoch());
        Files2.touchTree(root, a.epoch());
        Path iso = outDir.resolve(a.name() + ".iso");
        xorriso(root, iso, isohybridMbr, a);
        return List.of(Files2.touch(iso, a.epoch()));
    }

    static String isolinuxCfg(BootArtifacts a) {
        return """
                SERIAL 0 115200
                PROMPT 1
                TIMEOUT %d
                DEFAULT jdistcc
                SAY jdistcc appliance %s: to set the hub, type at the boot: prompt
                SAY   jdistcc jdistcc.hub=http://<client>:<port>/ jdistcc.key=<key>
                LABEL jdistcc
                  KERNEL /boot/vmlinuz
                  INITRD /boot/initrd.img
                  APPEND %s
                """.formatted(Math.max(1, a.bootTimeout() * 10), a.name(), a.cmdline());
    }

    static String grubCfg(BootArtifacts a) {
        return """
                serial --unit=0 --speed=115200
                terminal_input console serial
                terminal_output console serial
                insmod all_video
                set gfxpayload=keep
                set timeout=%d
                menuentry "jdistcc appliance %s (press e to add jdistcc.hub=... to the linux line)" {
                  linux /boot/vmlinuz %s
                  initrd /boot/initrd.img
                }
                """.formatted(a.bootTimeout(), a.name(), a.cmdline());
    }

    /** GRUB finds the medium by a file only this image has, then reads /boot/grub/grub.cfg from it. */
    private static void grubEfi(BootArtifacts a, Path scratch, Path efi, String marker) throws ImageException, IOException {
        Path modules = a.bootFile("grub-efi-amd64-bin", "usr/lib/grub/x86_64-efi/linux.mod").getParent();
        Path embed = Files2.text(scratch.resolve("embed.cfg"),
                "search --no-floppy --set=root --file " + marker + "\nset prefix=($root)/boot/grub\n"
                        + "configfile ($root)/boot/grub/grub.cfg\n", a.epoch());
        Files.createDirectories(efi.getParent());
        List<String> cmd = new ArrayList<>(List.of("grub-mkimage", "-d", modules.toString(), "-O", "x86_64-efi",
                "-p", "/boot/grub", "-c", embed.toString(), "-o", efi.toString()));
        cmd.addAll(GRUB_MODULES);
        Exec.run(cmd, scratch, Duration.ofMinutes(2));
    }

    /** A FAT image holding the {@code esp} tree (EFI/BOOT/…), written with mtools (no mount, no loop device). */
    private static void esp(Path esp, Path image, Path scratch, long epoch) throws ImageException, IOException {
        long bytes = 0;
        try (var s = Files.walk(esp)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
            }
        }
        long sectors = ((bytes + 512 * 1024) / 512 + 63) / 64 * 64;
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", Long.toString(epoch), "MTOOLS_SKIP_CHECK", "1");
        Files.createDirectories(image.getParent());
        Exec.run(List.of("mformat", "-C", "-T", Long.toString(sectors), "-h", "2", "-s", "32", "-N", "4a444343",
                "-v", "ESP", "-i", image.toString(), "::"), scratch, Duration.ofMinutes(1), env, null);
        Exec.run(List.of("mcopy", "-s", "-m", "-i", image.toString(), esp.resolve("EFI").toString(), "::/"),
                scratch, Duration.ofMinutes(1), env, null);
        Files2.touch(image, epoch);
    }

    private static void xorriso(Path root, Path iso, Path isohybridMbr, BootArtifacts a) throws ImageException, IOException {
        String date = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(a.epoch())) + "00";
        Files.deleteIfExists(iso);
        Exec.run(List.of("xorriso", "-as", "mkisofs", "-o", iso.toString(), "-V", "JDISTCC", "-iso-level", "3",
                        "-J", "-joliet-long", "-r", "-isohybrid-mbr", isohybridMbr.toString(),
                        "-c", "isolinux/boot.cat", "-b", "isolinux/isolinux.bin", "-no-emul-boot",
                        "-boot-load-size", "4", "-boot-info-table", "-eltorito-alt-boot", "-e", "boot/efiboot.img",
                        "-no-emul-boot", "-isohybrid-gpt-basdat", "--modification-date=" + date, root.toString()),
                root, Duration.ofMinutes(5), Map.of("SOURCE_DATE_EPOCH", Long.toString(a.epoch())), null);
    }
}
