package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.DhcpServerException;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.PortInUseException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One dnsmasq child in the foreground, logging to stderr. Ready when it has logged that its DHCP
 * sockets are bound to the interface and its TFTP root is set; stopped by its PID (SIGTERM, then
 * SIGKILL after a grace period). Its log lines go to the listener.
 */
public final class Dnsmasq implements AutoCloseable {

    static final String DHCP_BOUND = "DHCP, sockets bound exclusively to interface ";
    static final String TFTP_READY = "TFTP root is ";
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final Deque<String> recent = new ArrayDeque<>();
    private final CountDownLatch dhcpBound = new CountDownLatch(1);
    private final CountDownLatch tftpReady = new CountDownLatch(1);
    private final Thread reader;

    private Dnsmasq(Process process, String nif, NetbootListener listener) {
        this.process = process;
        this.reader = Thread.ofVirtual().name("dnsmasq-log-" + process.pid()).start(() -> pump(nif, listener));
    }

    /** Starts dnsmasq and waits until it serves, at most {@code timeout}. */
    public static Dnsmasq start(List<String> command, String nif, NetbootListener listener, Duration timeout)
            throws DhcpServerException, PortInUseException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new DhcpServerException("cannot start " + command.getFirst() + " (install it: apt-get install"
                    + " dnsmasq-base): " + e.getMessage(), e);
        }
        Dnsmasq d = new Dnsmasq(p, nif, listener);
        try {
            d.awaitReady(timeout);
            return d;
        } catch (DhcpServerException | PortInUseException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines dnsmasq logged (for error messages and status pages). */
    public synchronized List<String> recentLog() {
        return List.copyOf(recent);
    }

    private void awaitReady(Duration timeout) throws DhcpServerException, PortInUseException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CountDownLatch latch : List.of(dhcpBound, tftpReady)) {
                while (!latch.await(50, TimeUnit.MILLISECONDS)) {
                    if (!process.isAlive()) {
                        reader.join(Duration.ofSeconds(2));
                        fail("dnsmasq stopped during start-up (exit " + process.exitValue() + ")");
                    }
                    if (System.nanoTime() > deadline) {
                        fail("dnsmasq did not report bound DHCP and TFTP sockets within " + timeout.toSeconds() + " s");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DhcpServerException("interrupted while starting dnsmasq", e);
        }
    }

    /** Throws the exception that matches dnsmasq's own words, with its log. */
    private void fail(String what) throws DhcpServerException, PortInUseException {
        List<String> log = recentLog();
        String text = what + ". dnsmasq said:\n  " + String.join("\n  ", log);
        if (log.stream().anyMatch(l -> l.contains("Address already in use"))) {
            throw new PortInUseException(text + "\nAnother DHCP or TFTP server holds the port; stop it first.");
        }
        if (log.stream().anyMatch(l -> l.contains("Permission denied") || l.contains("Operation not permitted"))) {
            throw new DhcpServerException(text + "\nServing DHCP and TFTP needs root (or CAP_NET_ADMIN,"
                    + " CAP_NET_RAW and CAP_NET_BIND_SERVICE).");
        }
        throw new DhcpServerException(text);
    }

    private void pump(String nif, NetbootListener listener) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (this) {
                    recent.addLast(line);
                    if (recent.size() > 40) {
                        recent.removeFirst();
                    }
                }
                if (line.contains(DHCP_BOUND + nif)) {
                    dhcpBound.countDown();
                }
                if (line.contains(TFTP_READY)) {
                    tftpReady.countDown();
                }
                listener.dhcpLog(line);
            }
        } catch (IOException e) {
            // The pipe closes when dnsmasq exits.
        }
    }

    /** SIGTERM by PID, then SIGKILL if it has not exited after a grace period; waits for the exit. */
    @Override
    public void close() {
        if (process.isAlive()) {
            // SIGTERM via the handle: Process.destroy() would also close the log pipe and lose dnsmasq's last words.
            process.toHandle().destroy();
            try {
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            reader.join(GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path defaultBinary() {
        return Path.of("/usr/sbin/dnsmasq");
    }
}
