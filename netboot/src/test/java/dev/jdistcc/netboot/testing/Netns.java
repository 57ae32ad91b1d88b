package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test creates and deletes, so DHCP, TFTP and taps never reach the host's own
 * network. Only private addresses are used inside. Needs root (CAP_NET_ADMIN).
 */
public final class Netns implements AutoCloseable {

    private final List<String> names = new ArrayList<>();
    private final String prefix = "nbt" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);

    public static boolean isRoot() {
        try {
            return run(Duration.ofSeconds(5), "id", "-u").strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    public static final String NOT_ROOT = "network-namespace tests need root (CAP_NET_ADMIN and /dev/net/tun):"
            + " run the suite as root, e.g. sudo -E scripts/test";

    /** Creates a namespace with loopback up; returns its name. */
    public String create(String suffix) throws IOException {
        String name = prefix + "-" + suffix;
        run(Duration.ofSeconds(10), "ip", "netns", "add", name);
        names.add(name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    /** A short, unique interface name (IFNAMSIZ is 16). */
    public String ifname(String suffix) {
        return (prefix + suffix).substring(0, Math.min(15, prefix.length() + suffix.length()));
    }

    public static String ip(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return run(Duration.ofSeconds(10), cmd.toArray(String[]::new));
    }

    /** {@code ip netns exec ns cmd...} with a deadline; returns stdout+stderr, fails on non-zero exit. */
    public static String exec(String ns, Duration timeout, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(timeout, full.toArray(String[]::new));
    }

    public static String run(Duration timeout, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }, Thread::startVirtualThread);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout);
            }
            String text = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        for (String n : names.reversed()) {
            try {
                run(Duration.ofSeconds(10), "ip", "netns", "del", n);
            } catch (IOException e) {
                System.err.println("could not delete network namespace " + n + ": " + e.getMessage());
            }
        }
    }
}
