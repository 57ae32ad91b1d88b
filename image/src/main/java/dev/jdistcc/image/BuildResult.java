package dev.jdistcc.image;

import dev.jdistcc.image.layer.Layer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a build produced, with the sizes and times the CLI reports.
 *
 * @param kernelRelease  e.g. {@code 6.1.0-56-amd64}
 * @param vmlinuzBytes   size of the kernel image
 * @param layers         initramfs layers in boot order (kernel modules, base, runtime, app)
 * @param initrdBytes    size of the concatenated initramfs
 * @param outputs        files written, by output writer name
 * @param steps          every step in order, with its duration and whether it came from the cache
 * @param runtimeModules the JDK modules jdeps found the server needs
 */
public record BuildResult(
        String kernelRelease,
        long vmlinuzBytes,
        List<Layer> layers,
        long initrdBytes,
        Map<String, List<Path>> outputs,
        List<Step> steps,
        List<String> runtimeModules,
        Duration total) {

    public record Step(String name, Duration took, boolean cached, String detail) {}

    public BuildResult {
        layers = List.copyOf(layers);
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        steps = List.copyOf(steps);
        runtimeModules = List.copyOf(runtimeModules);
    }

    /** Bytes of RAM the unpacked initramfs occupies (the sum of the uncompressed cpio layers, an upper bound). */
    public long unpackedBytes() {
        return layers.stream().mapToLong(Layer::uncompressed).sum();
    }
}
