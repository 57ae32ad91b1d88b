package dev.jdistcc.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * TCP connections as distcc's clinet.c makes them: every resolved address in turn, 4 s to connect
 * (not configurable in distcc), and DISTCC_IO_TIMEOUT for each read.
 */
public final class TcpTransport implements Transport {
    static final int CONNECT_TIMEOUT_MS = 4000;

    @Override
    public Connection open(HostSpec.Remote remote, Duration ioTimeout) throws RemoteFailure {
        HostSpec.Tcp host = (HostSpec.Tcp) remote;
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(host.host());
        } catch (UnknownHostException e) {
            throw new RemoteFailure.ConnectFailed("failed to look up host \"" + host.host() + "\"", e);
        }
        IOException last = null;
        for (InetAddress a : addrs) {
            Socket s = null;
            try {
                // A channel's socket, so the input can go out by FileChannel.transferTo (sendfile).
                s = SocketChannel.open().socket();
                s.connect(new InetSocketAddress(a, host.port()), CONNECT_TIMEOUT_MS);
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ioTimeout.toMillis()));
                s.setTcpNoDelay(true);
                return new SocketConnection(s, ioTimeout);
            } catch (IOException e) {
                last = e;
                closeQuietly(s);
            }
        }
        throw new RemoteFailure.ConnectFailed("failed to connect to " + host.displayName() + ": "
                + (last == null ? "no address" : last.getMessage()), last);
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing was sent
        }
    }

    private record SocketConnection(Socket socket, InputStream in, OutputStream out, WriteGuard guard)
            implements Connection {
        SocketConnection(Socket socket, Duration ioTimeout) throws IOException {
            this(socket, new WriteGuard(socket, ioTimeout));
        }

        private SocketConnection(Socket socket, WriteGuard guard) throws IOException {
            this(socket, new BufferedInputStream(socket.getInputStream(), 1 << 16),
                    new BufferedOutputStream(guard.wrap(socket.getOutputStream()), 1 << 16), guard);
        }

        @Override
        public void replyTimeout(Duration timeout) {
            try {
                socket.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
            } catch (IOException e) {
                // a closed socket fails the next read anyway
            }
        }

        @Override
        public boolean transferFile(FileChannel file, long count) throws IOException {
            SocketChannel ch = socket.getChannel();
            if (ch == null) {
                return false;
            }
            guard.guard(() -> {
                long sent = 0;
                while (sent < count) {
                    long n = file.transferTo(sent, count - sent, ch);
                    if (n <= 0 && file.size() <= sent) {
                        throw new IOException("the input file shrank while it was being sent");
                    }
                    sent += n;
                }
            });
            return true;
        }

        @Override
        public void close() throws IOException {
            guard.stop();
            socket.close();
        }
    }
}
