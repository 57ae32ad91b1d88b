package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.BundleTree;
import dev.jdistcc.toolchain.ToolchainDigest;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A packaged compiler before archiving: the bundle content and what it answers to.
 *
 * @param family    "gcc" or "clang"
 * @param version   the driver's {@code -dumpversion}
 * @param target    the driver's {@code -dumpmachine} (what it generates code for)
 * @param hostArch  the machine its executables run on, uname -m style
 * @param compilers compiler name → absolute driver path inside the bundle ("gcc" → "/usr/bin/x86_64-linux-gnu-gcc-12")
 */
public record PackagedToolchain(BundleTree tree, ToolchainDigest digest, String family, String version, String target,
                                String hostArch, SortedMap<String, String> compilers) {
    public PackagedToolchain {
        compilers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(compilers));
    }

    static PackagedToolchain of(BundleTree tree, String family, String version, String target, String hostArch,
                                Map<String, String> compilers) {
        return new PackagedToolchain(tree, tree.digest(), family, version, target, hostArch, new TreeMap<>(compilers));
    }
}
