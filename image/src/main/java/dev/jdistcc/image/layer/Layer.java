package dev.jdistcc.image.layer;

import java.nio.file.Path;

/**
 * One compressed initramfs layer: a newc cpio compressed with zstd. The kernel unpacks concatenated
 * layers in order, later ones adding to (and overriding files of) earlier ones.
 *
 * @param name          kernel, base, runtime or app
 * @param file          the {@code .cpio.zst} in the layer cache
 * @param compressed    size of {@code file} in bytes
 * @param uncompressed  size of the cpio in bytes (about what the layer takes in RAM once unpacked)
 * @param entries       number of archive entries
 * @param cached        true when this build reused the layer instead of assembling it
 */
public record Layer(String name, Path file, long compressed, long uncompressed, int entries, boolean cached) {}
