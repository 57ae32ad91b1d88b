package dev.jdistcc.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DISTCC_IO_TIMEOUT for sends: Java sockets have a read timeout but no write timeout, so a server that stops
 * reading would block us forever. One daemon thread per process watches every open connection and closes the
 * socket whose write has been blocked for the whole timeout; the writer then fails with an I/O error and the
 * job falls back. (One watcher, not one per connection: a resident process runs many jobs.)
 */
final class WriteGuard {
    private static final Set<WriteGuard> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final Object WATCHER_LOCK = new Object();
    private static Thread watcher;

    private final Socket socket;
    private final long timeoutNanos;
    private volatile long writeStarted; // System.nanoTime() of the blocked write, 0 when idle
    private volatile boolean fired;

    WriteGuard(Socket socket, Duration timeout) {
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
        ACTIVE.add(this);
        synchronized (WATCHER_LOCK) {
            if (watcher == null) {
                watcher = new Thread(new Watcher(), "distcc-write-guard");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
    }

    OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeStarted = System.nanoTime();
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw fired ? new IOException("send stalled for DISTCC_IO_TIMEOUT; closed the connection", e) : e;
                } finally {
                    writeStarted = 0;
                }
            }
        };
    }

    /** Closes the socket when its current write has been blocked past the timeout; true when it did. */
    private boolean check(long now) {
        long started = writeStarted;
        if (started == 0 || now - started <= timeoutNanos) {
            return false;
        }
        fired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is the point
        }
        return true;
    }

    void stop() {
        ACTIVE.remove(this);
    }

    /** Wakes a few times per shortest timeout (at most once a second) and checks every open connection. */
    private static final class Watcher implements Runnable {
        @Override
        public void run() {
            while (true) {
                long tick = 1_000_000_000L;
                for (WriteGuard g : ACTIVE) {
                    tick = Math.min(tick, Math.max(1_000_000L, g.timeoutNanos / 4));
                }
                try {
                    Thread.sleep(Duration.ofNanos(tick));
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (WriteGuard g : ACTIVE) {
                    if (g.check(now)) {
                        ACTIVE.remove(g);
                    }
                }
            }
        }
    }
}
