package dev.jdistcc.image.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The immutable model of an image plan (see {@link PlanParser} for the file format).
 *
 * @param name              image name, shown on the console and in artefact metadata
 * @param sourceDateEpoch   the timestamp every archive entry gets (reproducible builds)
 * @param debs              every Debian package the image is built from, by package name
 * @param kernel            the kernel package and the NIC drivers to carry
 * @param rootfs            files copied from the non-kernel packages, with their shared-library closure
 * @param runtime           the JDK to jlink from, and the modules to keep
 * @param app               the server's classpath (jars or class directories)
 * @param init              settings for the appliance's {@code /init}
 * @param boot              the default kernel command line baked into ISO and netboot outputs
 * @param outputs           the output writers to run, by name
 * @param compressionLevel  zstd level for the initramfs layers (3 for tests, 19 for releases)
 */
public record ImagePlan(
        String name,
        long sourceDateEpoch,
        Map<String, DebPin> debs,
        Kernel kernel,
        RootFs rootfs,
        Runtime runtime,
        App app,
        Init init,
        Boot boot,
        List<String> outputs,
        int compressionLevel) {

    public static final String FORMAT = "jdistcc-image/1";

    public ImagePlan {
        debs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(debs));
        outputs = List.copyOf(outputs);
    }

    /** @param packageName a key of {@link #debs()}; @param drivers module names ('-' and '_' are equivalent) */
    public record Kernel(String packageName, List<String> drivers) {
        public Kernel {
            drivers = List.copyOf(drivers);
        }
    }

    /** @param files absolute paths inside the extracted non-kernel packages */
    public record RootFs(List<String> files) {
        public RootFs {
            files = List.copyOf(files);
        }
    }

    /**
     * @param jdkVersion  must equal the JDK's {@code release} FULL_VERSION, so a JDK update is a plan change
     * @param jdepsIgnore modules jdeps reports that the plan deliberately leaves out (with a reason in a comment)
     */
    public record Runtime(Path jdk, String jdkVersion, List<String> modules, List<String> jdepsIgnore) {
        public Runtime {
            modules = List.copyOf(modules);
            jdepsIgnore = List.copyOf(jdepsIgnore);
        }
    }

    public record App(List<Path> classpath) {
        public App {
            classpath = List.copyOf(classpath);
        }
    }

    /**
     * @param command  the server command line, run by {@code /bin/sh} as {@code user}; it may use the
     *                 variables {@code /init} exports (JDISTCC_HUB, JDISTCC_KEY, JDISTCC_ALLOW, JDISTCC_JOBS, JDISTCC_PORT)
     * @param port     the TCP port the server listens on; {@code /init} reports ready once it is listening
     */
    public record Init(String command, String user, int uid, int port, String hostname, int restartDelaySeconds) {}

    /**
     * @param timeoutSeconds how long the ISO boot menus wait, so a user can add jdistcc.hub=
     * @param packages       the {@code deb.*} pins the boot loaders come from (not part of the root tree)
     * @param efi            UEFI boot loader of the ISO: {@code grub} (built with grub-mkimage, no Secure Boot)
     *                       or {@code shim} (Debian-signed shim and GRUB: boots with Secure Boot on)
     */
    public record Boot(String cmdline, int timeoutSeconds, List<String> packages, String efi) {
        public Boot {
            packages = List.copyOf(packages);
        }
    }
}
