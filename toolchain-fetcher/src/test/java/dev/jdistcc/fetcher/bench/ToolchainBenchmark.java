package dev.jdistcc.fetcher.bench;

import dev.jdistcc.fetcher.FetchEvent;
import dev.jdistcc.fetcher.HostArch;
import dev.jdistcc.fetcher.Sandbox;
import dev.jdistcc.fetcher.SandboxPolicy;
import dev.jdistcc.fetcher.ToolchainCache;
import dev.jdistcc.fetcher.ToolchainFetcher;
import dev.jdistcc.fetcher.UnpackLimits;
import dev.jdistcc.hub.Hub;
import dev.jdistcc.toolchain.BundleWriter;
import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.pack.PackagedToolchain;
import dev.jdistcc.toolchain.pack.ToolchainPackager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not a test: prints packaging time, bundle sizes and fetch+verify+unpack time on loopback for the local
 * compilers. Run with scripts/bench-toolchain [compiler…] (default: gcc, plus clang when installed).
 */
public final class ToolchainBenchmark {
    /** Undertow and XNIO log their versions at INFO via java.util.logging; held strongly so the levels stick. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of("io.undertow", "org.xnio", "org.jboss")
            .map(java.util.logging.Logger::getLogger).toList();

    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        List<String> compilers = args.length > 0 ? List.of(args)
                : Files.isExecutable(Path.of("/usr/bin/clang")) ? List.of("gcc", "clang") : List.of("gcc");
        Path work = Files.createTempDirectory("jdistcc-bench-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            for (String c : compilers) {
                packaging(c, work);
            }
            fetching(compilers, work);
        } finally {
            try (var s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void packaging(String compiler, Path work) throws Exception {
        List<Double> discover = new ArrayList<>();
        PackagedToolchain t = null;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            t = new ToolchainPackager().packageCompiler(compiler);
            discover.add(secs(t0));
        }
        System.out.printf("%s: %s %s for %s, %d entries, %.1f MB unpacked, digest %s%n", compiler, t.family(), t.version(),
                t.target(), t.tree().entries().size(), t.tree().unpackedSize() / 1e6, t.digest().shortForm());
        System.out.printf("  discover + closure (median of %d): %.2f s%n", RUNS, median(discover));
        for (Compression comp : List.of(Compression.ZSTD, Compression.GZIP)) {
            List<Double> write = new ArrayList<>();
            long size = 0;
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                size = new BundleWriter(comp, 0).write(t.tree(), work.resolve("b." + comp.extension())).size();
                write.add(secs(t0));
            }
            System.out.printf("  archive %-4s: %.1f MB, write %.2f s, package total %.2f s (median of %d)%n", comp.id(),
                    size / 1e6, median(write), median(discover) + median(write), RUNS);
        }
    }

    private static void fetching(List<String> compilers, Path work) throws Exception {
        try (Hub hub = Hub.start(Hub.Config.defaults(work.resolve("hub")).withCompilers(compilers), e -> { })) {
            while (hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) < compilers.size()) {
                Thread.sleep(100);
            }
            for (int run = 0; run < RUNS; run++) {
                Map<String, Long> at = new ConcurrentHashMap<>();
                Path cacheDir = work.resolve("cache-" + run);
                ToolchainFetcher f = new ToolchainFetcher(hub.url(), hub.store().publicKey(),
                        new ToolchainCache(cacheDir, 4L << 30), new Sandbox(SandboxPolicy.DEFAULT), HostArch.current(),
                        UnpackLimits.DEFAULT, e -> stamp(at, e));
                f.refreshManifest();
                for (String c : compilers) {
                    ToolchainDigest d = f.manifest().orElseThrow().forCompiler(c, HostArch.current()).orElseThrow().digest();
                    long t0 = System.nanoTime();
                    try (var lease = f.acquire(d)) {
                        double total = secs(t0);
                        String k = d.hex();
                        System.out.printf("fetch %s (run %d): total %.2f s = download+hash %.2f s, unpack+digest %.2f s,"
                                        + " sandbox test-run + install %.2f s%n", c, run + 1, total,
                                (at.get(k + "V") - t0) / 1e9, (at.get(k + "U") - at.get(k + "V")) / 1e9,
                                (at.get(k + "R") - at.get(k + "U")) / 1e9);
                    }
                }
            }
        }
    }

    private static void stamp(Map<String, Long> at, FetchEvent e) {
        long now = System.nanoTime();
        switch (e) {
            case FetchEvent.Verified v -> at.put(v.digest().hex() + "V", now);
            case FetchEvent.Unpacked u -> at.put(u.digest().hex() + "U", now);
            case FetchEvent.Ready r -> at.put(r.digest().hex() + "R", now);
            default -> { }
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
