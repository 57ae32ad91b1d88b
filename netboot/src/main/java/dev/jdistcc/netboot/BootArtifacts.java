package dev.jdistcc.netboot;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a booting volunteer is given: one kernel, one or more initramfs files (the kernel unpacks them
 * in order, so layered images work), and the command line the image was built with. The hub may
 * implement this over its own image store; {@link #of} and {@link NetbootDir#load} cover the fixed case.
 */
public interface BootArtifacts {

    BootFile kernel();

    /** In load order; at least one. */
    List<BootFile> initrds();

    /** The image's own kernel arguments (console, quiet, ...); per-boot arguments are appended. */
    String defaultCmdline();

    /** The kernel or an initrd by its URL file name. */
    default Optional<BootFile> file(String name) {
        return Stream.concat(Stream.of(kernel()), initrds().stream()).filter(f -> f.name().equals(name)).findFirst();
    }

    static BootArtifacts of(BootFile kernel, List<BootFile> initrds, String defaultCmdline) throws ConfigException {
        if (initrds.isEmpty()) {
            throw new ConfigException("no initramfs given: the appliance needs at least one (--initrd)");
        }
        Set<String> names = new HashSet<>();
        for (BootFile f : Stream.concat(Stream.of(kernel), initrds.stream()).toList()) {
            if (!names.add(f.name())) {
                throw new ConfigException("two boot files are both named '" + f.name()
                        + "'; the EFI stub finds initrds by name, so names must differ");
            }
        }
        KernelCmdline.checkArguments(defaultCmdline);
        return new Fixed(kernel, List.copyOf(initrds), defaultCmdline.strip());
    }

    /** A fixed set of boot files. */
    record Fixed(BootFile kernel, List<BootFile> initrds, String defaultCmdline) implements BootArtifacts {}
}
