package dev.jdistcc.image.output;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code vmlinuz} + {@code initrd.img}, for {@code qemu -kernel/-initrd}, kexec or any boot loader. */
final class KernelInitrdWriter implements OutputWriter {

    @Override
    public String name() {
        return "kernel-initrd";
    }

    @Override
    public String description() {
        return "vmlinuz and initrd.img (layered zstd newc cpio)";
    }

    @Override
    public List<Path> write(BootArtifacts a, Path outDir, Path scratch) throws IOException {
        Path kernel = Files2.copy(a.vmlinuz(), outDir.resolve("vmlinuz"), a.epoch());
        Path initrd = Files2.copy(a.initrd(), outDir.resolve("initrd.img"), a.epoch());
        return List.of(kernel, initrd);
    }
}
