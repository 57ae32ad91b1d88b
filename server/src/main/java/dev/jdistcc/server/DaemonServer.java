package dev.jdistcc.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.Semaphore;

/**
 * The standalone TCP server (reference §3.3). Instead of distccd's {@code --jobs} preforked children, a
 * permit is taken before each {@code accept()}, so at most that many jobs run and further clients wait in
 * the kernel's accept queue exactly as they do for distccd; each accepted connection gets a virtual thread.
 *
 * <p>{@link #drain()} is what SIGTERM does (unlike 3.4, which aborts running jobs, §3.7): the listening
 * socket is closed so new connections are refused, and the call returns when the running jobs have finished.
 */
public final class DaemonServer {
    private final ServerSocket listener;
    private final int jobs;
    private final Semaphore permits;
    private final ConnectionHandler handler;
    private final ServerLog log;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;

    public DaemonServer(ServerSocket listener, int jobs, ConnectionHandler handler, ServerLog log) {
        this.listener = listener;
        this.jobs = jobs;
        this.permits = new Semaphore(jobs);
        this.handler = handler;
        this.log = log;
    }

    /** Accepts connections until {@link #drain()} closes the listener. */
    public void serve() throws InterruptedException {
        while (true) {
            permits.acquire();
            if (draining) {
                permits.release();
                return;
            }
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                permits.release();
                if (draining || listener.isClosed()) {
                    return;
                }
                log.error("dcc_accept_job", "accept failed: " + e.getMessage());
                continue;
            }
            try {
                s.setTcpNoDelay(true);
            } catch (SocketException e) {
                // not fatal
            }
            running.incrementAndGet();
            Thread.ofVirtual().name("job-", s.getPort()).start(() -> {
                try {
                    handler.serve(Connection.of(s));
                } finally {
                    running.decrementAndGet();
                    permits.release();
                }
            });
        }
    }

    /** Jobs running now (--stats dcc_current_load). */
    public int running() {
        return running.get();
    }

    public int jobs() {
        return jobs;
    }

    /** Stops accepting and waits for the running jobs. Safe to call more than once. */
    public void drain() throws InterruptedException {
        draining = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        permits.acquire(jobs);
        permits.release(jobs);
    }
}
