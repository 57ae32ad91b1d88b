package dev.jdistcc.hub.http;

import dev.jdistcc.hub.store.ToolchainStore;
import dev.jdistcc.toolchain.manifest.ToolchainPublisher.SignedManifest;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Serves the signed manifest, its signature, the public key and the bundle archives. Archives carry the
 * content digest as a strong ETag and honour single byte ranges (with If-Range), so an interrupted download
 * resumes where it stopped.
 *
 * <pre>
 * GET /v1/manifest.json           the manifest (503 while the first packaging round runs)
 * GET /v1/manifest.json.sig       base64 Ed25519 signature over the manifest's exact bytes
 * GET /v1/key                     the public key volunteers should trust (ed25519:…)
 * GET /v1/bundles/{file}          an archive ("&lt;digest&gt;.tar.zst"); Range, If-Range, If-None-Match
 * </pre>
 */
public final class ToolchainHandlers {
    private final ToolchainStore store;

    public ToolchainHandlers(ToolchainStore store) {
        this.store = store;
    }

    public RoutingHandler routes(RoutingHandler r) {
        r.get("/v1/manifest.json", ex -> manifest(ex, false));
        r.get("/v1/manifest.json.sig", ex -> manifest(ex, true));
        r.get("/v1/key", ex -> Responses.text(ex, 200, "text/plain; charset=utf-8", store.publicKey() + "\n"));
        r.add(Methods.GET, "/v1/bundles/{file}", this::bundle);
        r.add(Methods.HEAD, "/v1/bundles/{file}", this::bundle);
        return r;
    }

    private void manifest(HttpServerExchange ex, boolean signature) {
        Optional<SignedManifest> m = store.manifest();
        if (m.isEmpty()) {
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, "2");
            Responses.error(ex, 503, "the hub is still packaging its compilers; retry shortly");
            return;
        }
        if (signature) {
            Responses.text(ex, 200, "text/plain; charset=us-ascii", m.get().signature());
        } else {
            Responses.text(ex, 200, "application/json", m.get().json());
        }
    }

    private void bundle(HttpServerExchange ex) throws IOException {
        String file = ex.getQueryParameters().get("file").getFirst();
        Optional<ToolchainStore.BundleFile> b = store.bundle(file);
        if (b.isEmpty()) {
            Responses.error(ex, 404, "no bundle " + file);
            return;
        }
        ToolchainStore.BundleFile f = b.get();
        String etag = "\"" + f.etag() + "\"";
        ex.getResponseHeaders().put(Headers.ETAG, etag);
        ex.getResponseHeaders().put(Headers.ACCEPT_RANGES, "bytes");
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, f.contentType());
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=31536000, immutable");
        if (etag.equals(ex.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            ex.setStatusCode(304);
            ex.endExchange();
            return;
        }
        ByteRange range = ByteRange.select(ex.getRequestHeaders().getFirst(Headers.RANGE),
                ex.getRequestHeaders().getFirst(Headers.IF_RANGE), etag, f.size());
        if (range == ByteRange.UNSATISFIABLE) {
            ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + f.size());
            Responses.error(ex, 416, "range not satisfiable");
            return;
        }
        long start = range == null ? 0 : range.start();
        long length = range == null ? f.size() : range.length();
        if (range != null) {
            ex.setStatusCode(206);
            ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes " + start + "-" + (start + length - 1) + "/" + f.size());
        }
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
        if (ex.getRequestMethod().equals(HttpString.tryFromString("HEAD"))) {
            ex.endExchange();
            return;
        }
        ex.startBlocking();
        try (FileChannel ch = FileChannel.open(f.file()); OutputStream out = ex.getOutputStream()) {
            var sink = Channels.newChannel(out);
            long pos = start;
            long end = start + length;
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, sink);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
        }
    }
}
