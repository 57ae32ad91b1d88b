package dev.jdistcc.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

/** One client byte stream: a TCP socket, or the stdin/stdout pipes of an ssh-launched --inetd server. */
interface Connection extends Closeable {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    /** The peer address, or null for a pipe (always allowed, as distccd does). */
    InetAddress peerAddress();

    /** The peer as shown in job summaries. */
    String peerName();

    /** A bound on each blocking read; null for none. */
    void readTimeout(Duration d) throws IOException;

    static Connection of(Socket s) {
        return new Connection() {
            @Override
            public InputStream in() throws IOException {
                return s.getInputStream();
            }

            @Override
            public OutputStream out() throws IOException {
                return s.getOutputStream();
            }

            @Override
            public InetAddress peerAddress() {
                return s.getInetAddress();
            }

            @Override
            public String peerName() {
                return AccessList.describe(s.getInetAddress()) + ":" + s.getPort();
            }

            @Override
            public void readTimeout(Duration d) throws IOException {
                s.setSoTimeout(d == null ? 0 : (int) Math.min(Integer.MAX_VALUE, d.toMillis()));
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    /** stdin/stdout of an inetd-style server over pipes (ssh): no address, no read timeout. */
    static Connection ofPipes(InputStream in, OutputStream out) {
        return new Connection() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public InetAddress peerAddress() {
                return null;
            }

            @Override
            public String peerName() {
                return "(pipe)";
            }

            @Override
            public void readTimeout(Duration d) {
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } finally {
                    in.close();
                }
            }
        };
    }
}
