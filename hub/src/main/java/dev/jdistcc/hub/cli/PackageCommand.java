package dev.jdistcc.hub.cli;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher;
import dev.jdistcc.toolchain.pack.PackagedToolchain;
import dev.jdistcc.toolchain.pack.ToolchainPackager;
import dev.jdistcc.toolchain.sign.SigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jdistcc-hub package gcc aarch64-linux-gnu-gcc --out DIR}: bundles plus a signed manifest, once. */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Package compilers into toolchain bundles with a signed manifest (manifest.json, manifest.json.sig).")
final class PackageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", description = "Compilers: names on PATH or paths (gcc, aarch64-linux-gnu-gcc, clang).")
    List<String> compilers;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--key", description = "Signing key file (created when missing). Default: <out>/signing-key.json")
    Path key;

    @Option(names = "--compression", description = "none, gzip or zstd. Default: ${DEFAULT-VALUE}", defaultValue = "zstd")
    String compression;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Files.createDirectories(out);
        SigningKey k = SigningKey.loadOrCreate(key != null ? key : out.resolve("signing-key.json"));
        ToolchainPublisher pub = new ToolchainPublisher(out, k, Compression.fromId(compression));
        List<ToolchainInfo> infos = new ArrayList<>();
        int failures = 0;
        for (String c : compilers) {
            long t0 = System.nanoTime();
            try {
                PackagedToolchain t = new ToolchainPackager().packageCompiler(c);
                ToolchainInfo info = pub.publish(t);
                infos.add(info);
                o.printf("%s: %s %s %s → %s (%d entries, %.1f MB archive, %.1f s)%n", c, t.family(), t.version(), t.target(),
                        info.archive().path(), t.tree().entries().size(), info.archive().size() / 1e6, (System.nanoTime() - t0) / 1e9);
            } catch (ToolchainException.Packaging e) {
                spec.commandLine().getErr().println("cannot package " + c + ": " + e.getMessage());
                failures++;
            }
        }
        ToolchainPublisher.SignedManifest m = pub.sign(infos);
        Files.writeString(out.resolve("manifest.json"), m.json());
        Files.writeString(out.resolve("manifest.json.sig"), m.signature());
        o.println("manifest: " + out.resolve("manifest.json") + " signed by " + k.publicKey());
        return failures == 0 ? 0 : 1;
    }
}
