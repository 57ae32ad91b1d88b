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
        synchronized (WATCHER_LOCK) {
            ACTIVE.add(this);
            WATCHER_LOCK.notifyAll();   // its deadline may be the earliest now
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
                guard(() -> out.write(b, off, len));
            }
        };
    }

    /** An I/O action on the guarded socket. */
    @FunctionalInterface
    interface Send {
        void run() throws IOException;
    }

    /** Runs a send that does not go through {@link #wrap} (a file transfer) under the same timeout. */
    void guard(Send send) throws IOException {
        writeStarted = System.nanoTime();
        try {
            send.run();
        } catch (IOException e) {
            throw fired ? new IOException("send stalled for DISTCC_IO_TIMEOUT; closed the connection", e) : e;
        } finally {
            writeStarted = 0;
        }
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

    /**
     * Sleeps until the earliest moment a connection could overrun its timeout (a write in progress: its start
     * plus the timeout; an idle one: now plus its timeout), and not at all while no connection is open, so a
     * resident process with idle or long-timeout connections spends nothing on watching.
     */
    private static final class Watcher implements Runnable {
        @Override
        public void run() {
            // Scan and wait under one hold of the lock that registration takes too: a connection registered
            // after a scan cannot miss its notification and be left unwatched until some later deadline.
            synchronized (WATCHER_LOCK) {
                while (true) {
                    long now = System.nanoTime();
                    long next = Long.MAX_VALUE;
                    for (WriteGuard g : ACTIVE) {
                        if (g.check(now)) {
                            ACTIVE.remove(g);
                            continue;
                        }
                        long started = g.writeStarted;
                        next = Math.min(next, (started == 0 ? now : started) + g.timeoutNanos);
                    }
                    try {
                        if (next == Long.MAX_VALUE) {
                            WATCHER_LOCK.wait();
                        } else {
                            WATCHER_LOCK.wait(Math.max(1, (next - now) / 1_000_000 + 1));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
