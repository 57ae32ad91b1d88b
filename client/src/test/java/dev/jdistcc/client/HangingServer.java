package dev.jdistcc.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A peer that accepts connections and never answers, so a client stays mid-job until the test lets go. */
final class HangingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile Socket current;

    HangingServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    current = socket.accept();
                    accepted.incrementAndGet();
                    first.countDown();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    void awaitConnection() throws InterruptedException {
        first.await();
    }

    /** Drops the held connection without a byte: the client sees "no answer" and falls back. */
    void dropClient() throws IOException {
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void close() throws IOException {
        dropClient();
        socket.close();
    }
}
