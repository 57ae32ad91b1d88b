package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads one archive to a ".part" file, resuming with an HTTP Range request when an earlier attempt was
 * interrupted (the hub's ETag is the digest, sent back as If-Range so a changed file restarts cleanly).
 * Never writes past the size the signed manifest declares; checks the archive hash at the end.
 */
final class BundleDownloader {
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALL = Duration.ofSeconds(60);
    private final HttpClient http;
    private final FetchListener listener;

    BundleDownloader(HttpClient http, FetchListener listener) {
        this.http = http;
        this.listener = listener;
    }

    /** Returns the complete, hash-checked archive file. */
    Path download(URI url, ToolchainInfo info, Path part) throws IOException, FetchException {
        ToolchainDigest d = info.digest();
        long size = info.archive().size();
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > size) {
            Files.delete(part);
            have = 0;
        }
        if (have < size) {
            fetch(url, d, size, have, part);
        }
        checkHash(part, info);
        return part;
    }

    private void fetch(URI url, ToolchainDigest d, long size, long have, Path part) throws IOException, FetchException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(HEADERS_TIMEOUT).GET();
        if (have > 0) {
            rb.header("Range", "bytes=" + have + "-").header("If-Range", "\"" + d.hex() + "\"");
        }
        HttpResponse<InputStream> resp = send(rb.build(), url);
        try (InputStream body = resp.body()) {
            boolean resumed = resp.statusCode() == 206 && resp.headers().firstValue("Content-Range")
                    .map(v -> v.startsWith("bytes " + have + "-")).orElse(false);
            if (resp.statusCode() != 200 && !resumed) {
                throw FetchException.HubUnreachable.status(url.toString(), resp.statusCode());
            }
            long start = resumed ? have : 0;
            listener.on(new FetchEvent.DownloadStarted(d, size, start));
            StandardOpenOption mode = resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                copy(body, out, d, start, size);
            }
        }
    }

    private void copy(InputStream in, OutputStream out, ToolchainDigest d, long start, long size)
            throws IOException, FetchException {
        byte[] buf = new byte[1 << 16];
        long n = start;
        long reported = start;
        java.util.concurrent.atomic.AtomicLong lastProgress = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        Thread watchdog = stallWatchdog(in, lastProgress);
        try {
            for (int r; (r = in.read(buf)) > 0; ) {
                lastProgress.set(System.nanoTime());
                if (n + r > size) {
                    throw new FetchException.TooLarge("download of " + d.shortForm() + " is longer than the " + size
                            + " bytes the manifest declares");
                }
                out.write(buf, 0, r);
                n += r;
                if (n - reported >= (4 << 20)) {
                    listener.on(new FetchEvent.DownloadProgress(d, n, size));
                    reported = n;
                }
            }
        } catch (IOException e) {
            throw new FetchException.Truncated("download of " + d.shortForm() + " broke off after " + n + " of " + size
                    + " bytes (kept for resuming): " + e.getMessage(), e);
        } finally {
            watchdog.interrupt();
        }
        listener.on(new FetchEvent.DownloadProgress(d, n, size));
        if (n < size) {
            throw new FetchException.Truncated("download of " + d.shortForm() + " ended after " + n + " of " + size
                    + " bytes (kept for resuming)", null);
        }
    }

    /** Closes the body when no byte arrived for {@link #STALL}, so a hung hub cannot block waiters forever. */
    private static Thread stallWatchdog(InputStream in, java.util.concurrent.atomic.AtomicLong lastProgress) {
        return Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    if (System.nanoTime() - lastProgress.get() > STALL.toNanos()) {
                        in.close();
                        return;
                    }
                }
            } catch (InterruptedException | IOException e) {
                // download finished (interrupted) or the stream is already closed
            }
        });
    }

    private static void checkHash(Path part, ToolchainInfo info) throws IOException, FetchException {
        MessageDigest md = ToolchainDigest.sha256();
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(info.archive().sha256())) {
            Files.deleteIfExists(part);
            throw new FetchException.DigestMismatch("archive of " + info.digest().shortForm() + " has sha256 " + got
                    + ", the signed manifest says " + info.archive().sha256());
        }
    }

    private HttpResponse<InputStream> send(HttpRequest req, URI url) throws FetchException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw FetchException.HubUnreachable.of(url.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException.HubUnreachable("interrupted fetching " + url, e);
        }
    }
}
