package dev.jdistcc.image.output;

import java.nio.file.Path;

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
 */
public record BootArtifacts(String name, Path vmlinuz, Path initrd, String cmdline, int bootTimeout, long epoch) {}
