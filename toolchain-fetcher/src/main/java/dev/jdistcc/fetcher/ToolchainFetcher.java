package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.manifest.Manifest;
import dev.jdistcc.toolchain.manifest.ManifestCodec;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import dev.jdistcc.toolchain.sign.TrustedKey;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Fetches toolchains from one hub: the signed manifest, then bundles on demand or all at once, each verified
 * (signature, archive hash, content digest), unpacked safely, test-run in the sandbox and only then installed
 * in the cache. Concurrent requests for one digest share a single download.
 */
public final class ToolchainFetcher {
    private static final Duration MANIFEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String SAVED_MANIFEST = "manifest.json";
    private final URI hub;
    private final TrustedKey key;
    private final ToolchainCache cache;
    private final ToolchainInstaller installer;
    private final String hostArch;
    private final FetchListener listener;
    private final HttpClient http;
    private final BundleDownloader downloader;
    private final ConcurrentHashMap<ToolchainDigest, CompletableFuture<Void>> inflight = new ConcurrentHashMap<>();
    private final Semaphore parallelDownloads = new Semaphore(3);
    /** Bundles refused for what they are (not for how the download went): not fetched again for this manifest. */
    private final ConcurrentHashMap<ToolchainDigest, FetchException> refused = new ConcurrentHashMap<>();
    private volatile Manifest manifest;
    private final Sandbox sandbox;
    private final UnpackLimits limits;
    /** False for {@link #sibling}s: only the configured hub's manifest is kept for restarts. */
    private final boolean saveManifest;

    /** @param hub base URL of the hub, e.g. http://127.0.0.1:8080/ */
    public ToolchainFetcher(URI hub, TrustedKey key, ToolchainCache cache, Sandbox sandbox, String hostArch,
                            UnpackLimits limits, FetchListener listener) {
        this(hub, key, cache, sandbox, hostArch, limits, listener, true);
    }

    private ToolchainFetcher(URI hub, TrustedKey key, ToolchainCache cache, Sandbox sandbox, String hostArch,
                             UnpackLimits limits, FetchListener listener, boolean saveManifest) {
        this.sandbox = sandbox;
        this.limits = limits;
        this.saveManifest = saveManifest;
        this.hub = hub.toString().endsWith("/") ? hub : URI.create(hub + "/");
        this.key = key;
        this.cache = cache;
        this.hostArch = hostArch;
        this.listener = listener;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.downloader = new BundleDownloader(http, listener);
        this.installer = new ToolchainInstaller(cache, sandbox, limits, listener);
    }

    public URI hub() {
        return hub;
    }

    /**
     * A fetcher for another address that must prove it is a hub of the same key: everything it serves is checked
     * against this fetcher's trusted key exactly as the configured hub's is, and lands in the same cache. Its
     * manifest is not saved for restarts.
     */
    public ToolchainFetcher sibling(URI otherHub) {
        return new ToolchainFetcher(otherHub, key, cache, sandbox, hostArch, limits, listener, false);
    }

    public String hostArch() {
        return hostArch;
    }

    public Optional<Manifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /** Downloads the manifest and its detached signature; only a verified manifest replaces the current one. */
    public Manifest refreshManifest() throws FetchException {
        byte[] json = get(hub.resolve("v1/manifest.json"));
        String sig = new String(get(hub.resolve("v1/manifest.json.sig")), StandardCharsets.US_ASCII);
        try {
            key.verify(json, sig, "manifest from " + hub);
            Manifest m = ManifestCodec.read(new String(json, StandardCharsets.UTF_8));
            if (!m.equals(manifest)) {
                refused.clear(); // a new manifest may carry repaired bundles
            }
            manifest = m;
            if (saveManifest) {
                save(json, sig);
            }
            listener.on(new FetchEvent.ManifestLoaded(hub, m.toolchains().size(), m.forHost(hostArch).size()));
            return m;
        } catch (ToolchainException.BadSignature e) {
            throw new FetchException.Untrusted(e.getMessage());
        } catch (ToolchainException.BadManifest e) {
            throw new FetchException.Untrusted("manifest from " + hub + " is signed but malformed: " + e.getMessage());
        } catch (ToolchainException e) {
            throw new FetchException.Untrusted(e.getMessage());
        }
    }

    /**
     * The manifest saved by the last successful {@link #refreshManifest()}, checked again against the trusted key:
     * lets a restarted volunteer serve its cached toolchains while the hub is unreachable. Empty when there is
     * none or it does not verify (another key, a damaged file); the hub's copy is then needed.
     */
    public Optional<Manifest> loadSavedManifest() {
        Path json = cache.root().resolve(SAVED_MANIFEST);
        Path sig = cache.root().resolve(SAVED_MANIFEST + ".sig");
        try {
            byte[] bytes = Files.readAllBytes(json);
            key.verify(bytes, Files.readString(sig, StandardCharsets.US_ASCII), "saved manifest " + json);
            Manifest m = ManifestCodec.read(new String(bytes, StandardCharsets.UTF_8));
            if (manifest == null) {
                manifest = m;
            }
            return Optional.of(m);
        } catch (IOException | ToolchainException e) {
            return Optional.empty();
        }
    }

    private void save(byte[] json, String sig) {
        try {
            Path dir = cache.root();
            Path tmpJson = Files.createTempFile(dir.resolve("tmp"), "manifest", ".tmp");
            Path tmpSig = Files.createTempFile(dir.resolve("tmp"), "manifest", ".tmp");
            Files.write(tmpJson, json);
            Files.writeString(tmpSig, sig, StandardCharsets.US_ASCII);
            Files.move(tmpSig, dir.resolve(SAVED_MANIFEST + ".sig"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmpJson, dir.resolve(SAVED_MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Only a convenience for restarts without the hub; the verified manifest is in memory.
        }
    }

    /**
     * Startup: the manifest, then every toolchain for this machine in parallel. Failures of single toolchains
     * are reported as {@link FetchEvent.Failed} and skipped; the ready digests are returned.
     */
    public List<ToolchainDigest> syncAll() throws FetchException {
        return syncAll(refreshManifest());
    }

    /** The same for a manifest the caller has just refreshed (to look at it first, e.g. against the budget). */
    public List<ToolchainDigest> syncAll(Manifest m) {
        List<CompletableFuture<ToolchainDigest>> all = new ArrayList<>();
        for (ToolchainInfo t : m.forHost(hostArch)) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try (ToolchainCache.Lease l = acquire(t.digest())) {
                    return l.digest();
                } catch (FetchException e) {
                    return null;
                }
            }, r -> Thread.ofVirtual().start(r)));
        }
        return all.stream().map(CompletableFuture::join).filter(d -> d != null).sorted().toList();
    }

    /** Leases the toolchain, fetching it first when it is not cached (at most one fetch per digest at a time). */
    public ToolchainCache.Lease acquire(ToolchainDigest d) throws FetchException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<ToolchainCache.Lease> hit = cache.lease(d);
            if (hit.isPresent()) {
                return hit.get();
            }
            FetchException earlier = refused.get(d);
            if (earlier != null) {
                throw earlier;
            }
            CompletableFuture<Void> f = inflight.computeIfAbsent(d, k -> CompletableFuture.runAsync(() -> fetchAndInstall(k),
                    r -> Thread.ofVirtual().start(r)));
            try {
                f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Wrapped w) {
                    throw w.error;
                }
                throw e;
            } finally {
                inflight.remove(d, f);
            }
        }
        throw new FetchException.CacheFull("toolchain " + d.shortForm() + " was evicted again right after fetching");
    }

    /** The manifest entry for a digest on this machine, refreshing the manifest once if it is unknown. */
    public ToolchainInfo info(ToolchainDigest d) throws FetchException {
        Manifest m = manifest;
        if (m == null || m.byDigest(d).isEmpty()) {
            m = refreshManifest();
        }
        ToolchainInfo t = m.byDigest(d).orElseThrow(() -> new FetchException.UnknownToolchain(
                "hub " + hub + " offers no toolchain " + d.shortForm()));
        if (!t.hostArch().equals(hostArch)) {
            throw new FetchException.UnknownToolchain("toolchain " + d.shortForm() + " runs on " + t.hostArch()
                    + ", this machine is " + hostArch);
        }
        return t;
    }

    private void fetchAndInstall(ToolchainDigest d) {
        try {
            ToolchainInfo t = info(d);
            verifyStatement(t);
            Path part = cache.root().resolve("downloads").resolve(d.hex() + ".part");
            Files.createDirectories(part.getParent());
            parallelDownloads.acquireUninterruptibly();
            try {
                // archive paths are relative to the manifest URL (/v1/manifest.json → /v1/bundles/…)
                downloader.download(hub.resolve("v1/").resolve(t.archive().path()), t, part);
            } finally {
                parallelDownloads.release();
            }
            listener.on(new FetchEvent.Verified(d));
            installer.install(t, part);
            Files.deleteIfExists(part);
            listener.on(new FetchEvent.Ready(d, new TreeSet<>(t.compilers().keySet())));
        } catch (FetchException e) {
            if (isPermanent(e)) {
                refused.put(d, e);
            }
            listener.on(new FetchEvent.Failed(d, e));
            throw new Wrapped(e);
        } catch (IOException e) {
            FetchException f = new FetchException.Truncated("I/O error installing " + d.shortForm() + ": " + e, e);
            listener.on(new FetchEvent.Failed(d, f));
            throw new Wrapped(f);
        }
    }

    /**
     * Why this toolchain was refused for good under the current manifest (bad signature, digest mismatch, unsafe,
     * too large, failed test run); empty when it was not, or only its download failed (retried on next use).
     */
    public Optional<FetchException> refusal(ToolchainDigest d) {
        return Optional.ofNullable(refused.get(d));
    }

    private static boolean isPermanent(FetchException e) {
        return e instanceof FetchException.Untrusted || e instanceof FetchException.DigestMismatch
                || e instanceof FetchException.UnsafeBundle || e instanceof FetchException.TooLarge
                || e instanceof FetchException.Unusable;
    }

    private void verifyStatement(ToolchainInfo t) throws FetchException.Untrusted {
        try {
            key.verify(t.statement(), t.signature(), "bundle " + t.digest().shortForm());
        } catch (ToolchainException.BadSignature e) {
            throw new FetchException.Untrusted(e.getMessage());
        }
    }

    private byte[] get(URI url) throws FetchException {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(MANIFEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw FetchException.HubUnreachable.status(url.toString(), r.statusCode());
                }
                byte[] body = in.readNBytes(16 << 20);
                if (in.read() >= 0) {
                    throw new FetchException.TooLarge(url + " is larger than 16 MiB");
                }
                return body;
            }
        } catch (IOException e) {
            throw FetchException.HubUnreachable.of(url.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException.HubUnreachable("interrupted fetching " + url, e);
        }
    }

    /** Carries a checked FetchException through CompletableFuture. */
    private static final class Wrapped extends RuntimeException {
        final FetchException error;

        Wrapped(FetchException error) {
            super(error.getMessage(), error, false, false);
            this.error = error;
        }
    }
}
