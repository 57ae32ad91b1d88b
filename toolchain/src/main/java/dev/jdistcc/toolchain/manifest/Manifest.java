package dev.jdistcc.toolchain.manifest;

import dev.jdistcc.toolchain.ToolchainDigest;

import java.util.List;
import java.util.Optional;

/**
 * The signed list of toolchains a client offers. Served as JSON next to a detached signature; both are
 * verified before anything in it is believed.
 *
 * @param signer the key that signed it, as text (informational: volunteers check against their trusted key)
 */
public record Manifest(String signer, List<ToolchainInfo> toolchains) {
    public static final String KIND = "jdistcc.toolchain-manifest";
    public static final long VERSION = 1;

    public Manifest {
        toolchains = List.copyOf(toolchains);
    }

    public Optional<ToolchainInfo> byDigest(ToolchainDigest d) {
        return toolchains.stream().filter(t -> t.digest().equals(d)).findFirst();
    }

    /** The toolchain answering to {@code compilerName} that runs on {@code hostArch}. */
    public Optional<ToolchainInfo> forCompiler(String compilerName, String hostArch) {
        return toolchains.stream()
                .filter(t -> t.hostArch().equals(hostArch) && t.driverFor(compilerName) != null)
                .findFirst();
    }

    public List<ToolchainInfo> forHost(String hostArch) {
        return toolchains.stream().filter(t -> t.hostArch().equals(hostArch)).toList();
    }
}
