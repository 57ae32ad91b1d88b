package dev.jdistcc.image.output;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.ToolException;
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
 * A hybrid ISO that boots from CD and from a USB stick, with BIOS (ISOLINUX, isohybrid MBR) and UEFI
 * (a GRUB EFI binary made by grub-mkimage, on a FAT ESP image made with mtools, GPT). No root, loop
 * devices or mounts. Reproducible: grub-mkimage without memdisk is deterministic, the ESP gets a fixed
 * serial and file times, and xorriso gets fixed dates; {@code -r} makes Rock Ridge owners 0.
 */
final class IsoWriter implements OutputWriter {

    static final Path ISOLINUX_BIN = Path.of("/usr/lib/ISOLINUX/isolinux.bin");
    static final Path ISOHYBRID_MBR = Path.of("/usr/lib/ISOLINUX/isohdpfx.bin");
    static final Path LDLINUX = Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32");
    static final Path GRUB_EFI_MODULES = Path.of("/usr/lib/grub/x86_64-efi");

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
        return "hybrid ISO: CD and USB stick, BIOS (ISOLINUX) and UEFI (GRUB)";
    }

    @Override
    public List<Path> write(BootArtifacts a, Path outDir, Path scratch) throws ImageException, IOException {
        for (Path p : List.of(ISOLINUX_BIN, ISOHYBRID_MBR, LDLINUX, GRUB_EFI_MODULES)) {
            if (!Files.exists(p)) {
                throw new ToolException(p + " is missing (install it: apt-get install isolinux syslinux-common grub-efi-amd64-bin)");
            }
        }
        String marker = "/boot/jdistcc-" + a.name() + ".id";
        Path root = scratch.resolve("iso-root");
        Files2.copy(a.vmlinuz(), root.resolve("boot/vmlinuz"), a.epoch());
        Files2.copy(a.initrd(), root.resolve("boot/initrd.img"), a.epoch());
        Files2.text(root.resolve(marker.substring(1)), a.name() + "\n", a.epoch());
        Files2.copy(ISOLINUX_BIN, root.resolve("isolinux/isolinux.bin"), a.epoch());
        Files2.copy(LDLINUX, root.resolve("isolinux/ldlinux.c32"), a.epoch());
        Files2.text(root.resolve("isolinux/isolinux.cfg"), isolinuxCfg(a), a.epoch());
        Files2.text(root.resolve("boot/grub/grub.cfg"), grubCfg(a), a.epoch());
        Path efi = grubEfi(scratch, marker, a.epoch());
        esp(efi, root.resolve("boot/efiboot.img"), scratch, a.epoch());
        Files2.touchTree(root, a.epoch());
        Path iso = outDir.resolve(a.name() + ".iso");
        xorriso(root, iso, a);
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
    private static Path grubEfi(Path scratch, String marker, long epoch) throws ImageException, IOException {
        Path embed = Files2.text(scratch.resolve("embed.cfg"),
                "search --no-floppy --set=root --file " + marker + "\nset prefix=($root)/boot/grub\n"
                        + "configfile ($root)/boot/grub/grub.cfg\n", epoch);
        Path efi = scratch.resolve("esp/EFI/BOOT/BOOTX64.EFI");
        Files.createDirectories(efi.getParent());
        List<String> cmd = new ArrayList<>(List.of("grub-mkimage", "-d", GRUB_EFI_MODULES.toString(), "-O", "x86_64-efi",
                "-p", "/boot/grub", "-c", embed.toString(), "-o", efi.toString()));
        cmd.addAll(GRUB_MODULES);
        Exec.run(cmd, scratch, Duration.ofMinutes(2));
        Files2.touchTree(scratch.resolve("esp"), epoch);
        return efi;
    }

    /** A FAT image holding EFI/BOOT/BOOTX64.EFI, written with mtools (no mount, no loop device). */
    private static void esp(Path efi, Path image, Path scratch, long epoch) throws ImageException, IOException {
        long sectors = ((Files.size(efi) + 512 * 1024) / 512 + 63) / 64 * 64;
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", Long.toString(epoch), "MTOOLS_SKIP_CHECK", "1");
        Files.createDirectories(image.getParent());
        Exec.run(List.of("mformat", "-C", "-T", Long.toString(sectors), "-h", "2", "-s", "32", "-N", "4a444343",
                "-v", "ESP", "-i", image.toString(), "::"), scratch, Duration.ofMinutes(1), env, null);
        Exec.run(List.of("mcopy", "-s", "-m", "-i", image.toString(), scratch.resolve("esp/EFI").toString(), "::/"),
                scratch, Duration.ofMinutes(1), env, null);
        Files2.touch(image, epoch);
    }

    private static void xorriso(Path root, Path iso, BootArtifacts a) throws ImageException, IOException {
        String date = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(a.epoch())) + "00";
        Files.deleteIfExists(iso);
        Exec.run(List.of("xorriso", "-as", "mkisofs", "-o", iso.toString(), "-V", "JDISTCC", "-iso-level", "3",
                        "-J", "-joliet-long", "-r", "-isohybrid-mbr", ISOHYBRID_MBR.toString(),
                        "-c", "isolinux/boot.cat", "-b", "isolinux/isolinux.bin", "-no-emul-boot",
                        "-boot-load-size", "4", "-boot-info-table", "-eltorito-alt-boot", "-e", "boot/efiboot.img",
                        "-no-emul-boot", "-isohybrid-gpt-basdat", "--modification-date=" + date, root.toString()),
                root, Duration.ofMinutes(5), Map.of("SOURCE_DATE_EPOCH", Long.toString(a.epoch())), null);
    }
}
