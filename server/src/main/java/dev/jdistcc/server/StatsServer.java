package dev.jdistcc.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * distccd's --stats HTTP server (reference §3.10): for each allowed connection, one read of up to 1024 bytes
 * (whatever the request), the fixed plain-text reply, close. Served one connection at a time, like the
 * select loop it replaces.
 */
public final class StatsServer {
    private final ServerSocket listener;
    private final AccessList acl;
    private final Stats stats;
    private final HostProbe probe;
    private final int maxKids;
    private final IntSupplier currentLoad;
    private final Supplier<String> extra;

    public StatsServer(ServerSocket listener, AccessList acl, Stats stats, java.nio.file.Path tmpDir, int maxKids,
                       IntSupplier currentLoad) {
        this(listener, acl, stats, tmpDir, maxKids, currentLoad, () -> "");
    }

    /**
     * @param extra text appended after distccd's {@code </distccstats>} block (a volunteer's hub status); readers
     *              of the stock page stop at that tag
     */
    public StatsServer(ServerSocket listener, AccessList acl, Stats stats, java.nio.file.Path tmpDir, int maxKids,
                       IntSupplier currentLoad, Supplier<String> extra) {
        this.extra = extra;
        this.listener = listener;
        this.acl = acl;
        this.stats = stats;
        this.probe = new HostProbe(tmpDir);
        this.maxKids = maxKids;
        this.currentLoad = currentLoad;
    }

    /** Serves until the listener is closed. */
    public void serve() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                if (!acl.isEmpty() && !acl.allows(s.getInetAddress())) {
                    continue;
                }
                s.setSoTimeout(200);
                InputStream in = s.getInputStream();
                try {
                    in.read(new byte[1024]);
                } catch (SocketTimeoutException e) {
                    // distccd's read is non-blocking: answer whether or not a request has arrived
                }
                s.getOutputStream().write(page().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // a client that went away, or the listener closed
            }
        }
    }

    String page() {
        long now = System.currentTimeMillis();
        return StatsPage.render(stats.snapshot(now), probe.probe(maxKids, currentLoad.getAsInt(), now)) + extra.get();
    }

    public void close() throws IOException {
        listener.close();
    }
}
