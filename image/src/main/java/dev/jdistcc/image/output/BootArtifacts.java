package dev.jdistcc.image.output;

import dev.jdistcc.image.PlanException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every output format is made from: one kernel, one initramfs (the concatenated layers), and the
 * default kernel command line.
 *
 * @param name          the image name (ISO volume id, menu titles)
 * @param vmlinuz       the kernel image
 * @param initrd        the initramfs: concatenated, separately zstd-compressed newc cpio layers
 * @param cmdline       the default kernel command line
 * @param bootTimeout   seconds the ISO boot menus wait before booting the default entry
 * @param epoch         the timestamp every written file and archive entry gets
 * @param bootPackages  extracted boot-loader packages (isolinux, grub-efi-amd64-bin, shim-signed, …) by name
 * @param efi           the ISO's UEFI loader: {@code grub} or {@code shim}
 */
public record BootArtifacts(String name, Path vmlinuz, Path initrd, String cmdline, int bootTimeout, long epoch,
                            Map<String, Path> bootPackages, String efi) {

    public BootArtifacts {
        bootPackages = Map.copyOf(bootPackages);
    }

    /** A file from a boot-loader package; the plan must pin the package in {@code boot.packages}. */
    public Path bootFile(String pkg, String path) throws PlanException {
        Path root = bootPackages.get(pkg);
        if (root == null) {
            throw new PlanException("this output needs the Debian package " + pkg
                    + ": pin it as deb." + pkg + " and list it in boot.packages");
        }
        Path file = root.resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new PlanException("deb." + pkg + " has no /" + path);
        }
        return file;
    }
}
