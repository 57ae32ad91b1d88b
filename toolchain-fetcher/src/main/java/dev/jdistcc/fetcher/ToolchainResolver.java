package dev.jdistcc.fetcher;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.Manifest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The seam distccd calls: turns a job's toolchain reference (jdistcc extension) or its compiler name (stock
 * distcc clients) into a {@link LaunchPlan}, fetching the toolchain on first use. With fetched toolchains the
 * masquerade allow-list becomes "names in the manifest" ({@link #allows}).
 */
public final class ToolchainResolver {
    static final int MAX_SOURCES = 8;
    private final ToolchainFetcher fetcher;
    private final Sandbox sandbox;
    /** Other addresses clients named in TSRC, most recently used last. */
    private final Map<URI, ToolchainFetcher> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, ToolchainFetcher> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    public ToolchainResolver(ToolchainFetcher fetcher, Sandbox sandbox) {
        this.fetcher = fetcher;
        this.sandbox = sandbox;
    }

    /**
     * For a request carrying {@code TOOL}/{@code TSRC}: the toolchain with that digest, from the configured hub.
     * The same hub is often reached under different addresses (the client's loopback URL, a VM's forwarded
     * address), and the digest pins the content, so a differently spelled source is not refused. When the
     * configured hub does not offer the digest (or cannot be reached), {@code TSRC} is tried as another hub of the
     * same key: its manifest, the bundle's signed statement, the archive hash and the content digest must all
     * verify against this volunteer's trusted key, so an address a client names can never supply anything that
     * the configured hub's key did not sign. Only {@code http(s)://host[:port]/path} sources are tried, and at
     * most {@value #MAX_SOURCES} of them are remembered. Otherwise {@link FetchException.UnknownToolchain}.
     */
    public LaunchPlan resolve(RequestHeader.ToolchainRef ref, List<String> argv) throws FetchException {
        if (!ToolchainDigest.isValid(ref.digest())) {
            throw new FetchException.UnknownToolchain("\"" + ref.digest() + "\" is not a toolchain digest");
        }
        ToolchainDigest d = ToolchainDigest.parse(ref.digest());
        try {
            return plan(fetcher, fetcher.info(d), argv);
        } catch (FetchException.UnknownToolchain | FetchException.HubUnreachable e) {
            Optional<ToolchainFetcher> other = source(ref.source());
            if (other.isEmpty()) {
                throw e;
            }
            ToolchainFetcher f = other.get();
            return plan(f, f.info(d), argv);
        }
    }

    /** The fetcher for a request's TSRC when it is a usable address other than the configured hub. */
    private Optional<ToolchainFetcher> source(String tsrc) {
        URI u;
        try {
            u = new URI(tsrc.endsWith("/") ? tsrc : tsrc + "/");
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        boolean web = "http".equals(u.getScheme()) || "https".equals(u.getScheme());
        if (!web || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null
                || u.getRawFragment() != null || u.equals(fetcher.hub())) {
            return Optional.empty();
        }
        synchronized (sources) {
            return Optional.of(sources.computeIfAbsent(u, fetcher::sibling));
        }
    }

    /** For a stock distcc request: the manifest toolchain for this machine that answers to argv[0]. */
    public LaunchPlan resolveByName(List<String> argv) throws FetchException {
        ToolchainInfo info = byName(argv.getFirst()).orElseThrow(() -> new FetchException.UnknownToolchain(
                "no toolchain in the manifest of " + fetcher.hub() + " answers to \"" + argv.getFirst() + "\" on "
                        + fetcher.hostArch()));
        return plan(fetcher, info, argv);
    }

    /** The allow-list: is this compiler name served by a toolchain in the (cached) manifest for this machine? */
    public boolean allows(String compilerName) {
        return currentManifest().flatMap(m -> m.forCompiler(compilerName, fetcher.hostArch())).isPresent();
    }

    /** All compiler names the volunteer can serve from the manifest. */
    public Set<String> compilerNames() {
        Set<String> names = new TreeSet<>();
        currentManifest().ifPresent(m -> m.forHost(fetcher.hostArch()).forEach(t -> names.addAll(t.compilers().keySet())));
        return names;
    }

    private Optional<ToolchainInfo> byName(String name) throws FetchException {
        Optional<ToolchainInfo> t = currentManifest().flatMap(m -> m.forCompiler(name, fetcher.hostArch()));
        return t.isPresent() ? t : fetcher.refreshManifest().forCompiler(name, fetcher.hostArch());
    }

    private Optional<Manifest> currentManifest() {
        return fetcher.manifest();
    }

    private LaunchPlan plan(ToolchainFetcher fetcher, ToolchainInfo info, List<String> argv) throws FetchException {
        String driver = info.driverFor(argv.getFirst());
        if (driver == null) {
            // The digest pins the toolchain; the client's name is not one of its names: pick a driver of the same language.
            boolean cxx = argv.getFirst().contains("++");
            driver = info.compilers().entrySet().stream().filter(e -> e.getKey().contains("++") == cxx)
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(info.compilers().values().iterator().next());
        }
        ToolchainCache.Lease lease = fetcher.acquire(info.digest());
        List<String> rewritten = new ArrayList<>(argv);
        rewritten.set(0, driver);
        return new LaunchPlan(info.digest(), argv.getFirst(), rewritten, lease.root(), sandbox, lease);
    }
}
