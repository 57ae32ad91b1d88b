package dev.jdistcc.server;

import dev.jdistcc.protocol.Limits;
import dev.jdistcc.protocol.PacketReader;
import dev.jdistcc.protocol.PacketWriter;
import dev.jdistcc.protocol.Request;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.SourceInput;
import dev.jdistcc.protocol.WireVersion;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

/** A minimal distcc client for fault tests: raw bytes or protocol requests, and whether anything came back. */
final class Wire {
    private Wire() {
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return s;
    }

    static Request request(WireVersion v, List<String> argv, byte[] source) {
        return new Request(RequestHeader.of(v, argv), new SourceInput.Preprocessed(source));
    }

    static void send(Socket s, Request r) throws IOException {
        r.write(new PacketWriter(s.getOutputStream()));
    }

    /** Sends a request and reads the response; empty when the server closed without a single byte. */
    static Optional<Response> exchange(int port, Request r) throws IOException {
        try (Socket s = connect(port)) {
            try {
                send(s, r);
            } catch (IOException e) {
                // refused early: the server closed while we were still sending
            }
            return read(s, r.version());
        }
    }

    static Optional<Response> read(Socket s, WireVersion v) throws IOException {
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(s.getInputStream()));
        int first;
        try {
            first = in.read();
        } catch (IOException e) {
            return Optional.empty(); // reset: still not a byte of answer
        }
        if (first < 0) {
            return Optional.empty();
        }
        in.unread(first);
        return Optional.of(Response.read(new PacketReader(in, Limits.DEFAULT), v));
    }

    /** Writes raw bytes and reports whether the server answered anything before closing. */
    static boolean answersRaw(int port, byte[] bytes) throws IOException {
        try (Socket s = connect(port)) {
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return false;
            }
            InputStream in = s.getInputStream();
            try {
                return in.read() >= 0;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
