package dev.jdistcc.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * DISTCC_IO_TIMEOUT for sends: Java sockets have a read timeout but no write timeout, so a server that stops
 * reading would block us forever. A daemon thread closes the socket when one write has been blocked for the
 * whole timeout; the writer then fails with an I/O error and the job falls back.
 */
final class WriteGuard implements Runnable {
    private final Socket socket;
    private final long timeoutNanos;
    private final Thread thread;
    private volatile long writeStarted; // System.nanoTime() of the blocked write, 0 when idle
    private volatile boolean stopped;
    private volatile boolean fired;

    WriteGuard(Socket socket, Duration timeout) {
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
        this.thread = new Thread(this, "distcc-write-guard");
        thread.setDaemon(true);
        thread.start();
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

    @Override
    public void run() {
        long tick = Math.max(1_000_000L, Math.min(timeoutNanos / 4, 1_000_000_000L));
        while (!stopped) {
            try {
                Thread.sleep(Duration.ofNanos(tick));
            } catch (InterruptedException e) {
                return;
            }
            long started = writeStarted;
            if (started != 0 && System.nanoTime() - started > timeoutNanos) {
                fired = true;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is the point
                }
                return;
            }
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }
}
