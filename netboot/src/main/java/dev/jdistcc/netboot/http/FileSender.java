package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootService;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Sends a boot file with HTTP/1.1 caching and range semantics: strong ETag (the SHA-256), 304 for a
 * matching {@code If-None-Match}, 206 for one satisfiable range (honoured only if {@code If-Range}
 * names the current ETag), 416 otherwise, and HEAD with the headers a GET would carry. Runs on a worker
 * thread with blocking I/O and counts the body bytes it actually wrote.
 */
final class FileSender {

    private static final int CHUNK = 1 << 16;

    private FileSender() {}

    static void send(HttpServerExchange ex, NetbootService service, BootFile file, MacAddress mac) {
        String etag = "\"" + file.sha256() + "\"";
        var rh = ex.getResponseHeaders();
        rh.put(Headers.ETAG, etag);
        rh.put(Headers.ACCEPT_RANGES, "bytes");
        rh.put(Headers.CACHE_CONTROL, "no-cache");
        if (matches(ex.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), etag)) {
            ex.setStatusCode(StatusCodes.NOT_MODIFIED);
            ex.endExchange();
            return;
        }
        String ifRange = ex.getRequestHeaders().getFirst(Headers.IF_RANGE);
        ByteRange range = ifRange != null && !ifRange.strip().equals(etag)
                ? new ByteRange.Whole()
                : ByteRange.parse(ex.getRequestHeaders().getFirst(Headers.RANGE), file.size());
        rh.put(Headers.CONTENT_TYPE, "application/octet-stream");
        long first;
        long length;
        switch (range) {
            case ByteRange.Unsatisfiable u -> {
                ex.setStatusCode(StatusCodes.REQUEST_RANGE_NOT_SATISFIABLE);
                rh.put(Headers.CONTENT_RANGE, "bytes */" + file.size());
                rh.put(Headers.CONTENT_LENGTH, 0);
                ex.endExchange();
                return;
            }
            case ByteRange.Part p -> {
                ex.setStatusCode(StatusCodes.PARTIAL_CONTENT);
                rh.put(Headers.CONTENT_RANGE, "bytes " + p.first() + "-" + p.last() + "/" + file.size());
                first = p.first();
                length = p.length();
            }
            case ByteRange.Whole w -> {
                first = 0;
                length = file.size();
            }
        }
        rh.put(Headers.CONTENT_LENGTH, length);
        if (ex.getRequestMethod().equals(Methods.HEAD)) {
            ex.endExchange();
            return;
        }
        long sent = copy(ex, file, first, length);
        service.fileSent(mac, file, sent, sent == length);
        ex.endExchange();
    }

    /** Writes {@code length} bytes from {@code first}; returns how many reached the socket layer. */
    private static long copy(HttpServerExchange ex, BootFile file, long first, long length) {
        if (!ex.isBlocking()) {
            ex.startBlocking(); // the hub's router may have made the exchange blocking already
        }
        long sent = 0;
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            OutputStream out = ex.getOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            while (sent < length) {
                buf.clear().limit((int) Math.min(CHUNK, length - sent));
                int n = ch.read(buf, first + sent);
                if (n < 0) {
                    break;
                }
                out.write(buf.array(), 0, n);
                sent += n;
            }
            out.flush();
        } catch (IOException e) {
            // The client went away (or the file shrank under us): the count says how far it got.
        }
        return sent;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
