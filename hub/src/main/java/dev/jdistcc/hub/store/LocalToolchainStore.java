package dev.jdistcc.hub.store;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher.SignedManifest;
import dev.jdistcc.toolchain.pack.CompilerNames;
import dev.jdistcc.toolchain.pack.PackagedToolchain;
import dev.jdistcc.toolchain.pack.ToolchainPackager;
import dev.jdistcc.toolchain.sign.SigningKey;
import dev.jdistcc.toolchain.sign.TrustedKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Packages the local compilers into {@code <state>/bundles/} and keeps a signed manifest of them. Packaging
 * runs in the background ({@link #rescan()} is meant for a scheduled executor) so serving never waits for it;
 * a rescan re-packages only compilers whose files changed (icecream keys native environments by compiler
 * mtimes, reference §1.3).
 */
public final class LocalToolchainStore implements ToolchainStore {
    private final Path state;
    private final SigningKey key;
    private final ToolchainPublisher publisher;
    private final Supplier<List<String>> compilers;
    private final Consumer<HubEvent> events;
    private final Map<String, Published> byCompiler = new LinkedHashMap<>();
    private volatile SignedManifest manifest;

    private record Published(String fingerprint, ToolchainInfo info) {
    }

    /**
     * @param compilers which compilers to package, evaluated at each rescan (names on PATH or paths); e.g.
     *                  {@link #discoverOnPath()}
     */
    public LocalToolchainStore(Path state, SigningKey key, Compression compression, Supplier<List<String>> compilers,
                               Consumer<HubEvent> events) throws IOException {
        this.state = state;
        this.key = key;
        this.compilers = compilers;
        this.events = events;
        Files.createDirectories(state);
        this.publisher = new ToolchainPublisher(state, key, compression);
    }

    /** One representative name per compiler installation found on PATH (gcc, aarch64-linux-gnu-gcc, clang…). */
    public static List<String> discoverOnPath() {
        Map<Path, String> byReal = new LinkedHashMap<>();
        CompilerNames.onPath(CompilerNames.systemPath()).forEach((name, p) -> {
            if (name.contains("++") || name.equals("cc")) {
                return; // the C driver's bundle carries its C++ sibling
            }
            try {
                Path real = p.toRealPath();
                // Wrapper scripts (Debian's c89-gcc, ccache links resolved elsewhere) are not drivers to ship.
                if (dev.jdistcc.toolchain.pack.ElfFile.read(real).isPresent()) {
                    byReal.putIfAbsent(real, name);
                }
            } catch (IOException e) {
                // dangling link: nothing to package
            }
        });
        return new ArrayList<>(byReal.values());
    }

    /** Packages new or changed compilers and republishes the manifest when anything changed. */
    public synchronized void rescan() {
        boolean changed = manifest == null;
        for (String c : compilers.get()) {
            String fp = fingerprint(c);
            Published old = byCompiler.get(c);
            if (old != null && old.fingerprint().equals(fp)) {
                continue;
            }
            long t0 = System.nanoTime();
            try {
                PackagedToolchain t = new ToolchainPackager().packageCompiler(c);
                ToolchainInfo info = publisher.publish(t);
                byCompiler.put(c, new Published(fp, info));
                events.accept(new HubEvent.Packaged(c, info.digest(), info.archive().size(), Duration.ofNanos(System.nanoTime() - t0)));
                changed = true;
            } catch (ToolchainException.Packaging | IOException | RuntimeException e) {
                events.accept(new HubEvent.PackagingFailed(c, e.getMessage()));
            }
        }
        if (changed) {
            Map<String, ToolchainInfo> unique = new LinkedHashMap<>();
            byCompiler.values().forEach(p -> unique.putIfAbsent(p.info().digest().hex(), p.info()));
            manifest = publisher.sign(new ArrayList<>(unique.values()));
            events.accept(new HubEvent.ManifestPublished(unique.size()));
        }
    }

    /** Size and mtime of the compiler's resolved driver: cheap, and changes when the package is upgraded. */
    private static String fingerprint(String compiler) {
        try {
            Path p = compiler.contains("/") ? Path.of(compiler)
                    : CompilerNames.systemPath().stream().map(d -> d.resolve(compiler)).filter(Files::isExecutable).findFirst().orElse(null);
            if (p == null) {
                return "missing";
            }
            Path real = p.toRealPath();
            return real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    @Override
    public Optional<SignedManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    @Override
    public Optional<BundleFile> bundle(String fileName) {
        SignedManifest m = manifest;
        if (m == null) {
            return Optional.empty();
        }
        for (ToolchainInfo t : m.manifest().toolchains()) {
            if (t.archive().path().equals(ToolchainPublisher.BUNDLE_DIR + "/" + fileName)) {
                return Optional.of(new BundleFile(state.resolve(t.archive().path()), t.archive().size(), t.digest().hex(),
                        t.archive().compression().contentType()));
            }
        }
        return Optional.empty();
    }

    @Override
    public TrustedKey publicKey() {
        return key.publicKey();
    }
}
