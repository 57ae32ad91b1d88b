package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which volunteers run on this machine: a distccd reached at a loopback address or at one of this machine's
 * own interface addresses (a distccd started beside the client, a volunteer VM behind a port forward such as
 * the QEMU appliance of {@code scripts/demo}), or one that a process of this machine serves from another
 * network namespace (a volunteer in a container or a namespace here: {@link #servedInANamespace}, as far as
 * this process may look into other processes' namespaces). Their compiles take the same cores as this machine's
 * preprocessors and each other, so their slots together are worth no more than the cores: the scheduler
 * keeps the jobs it sends to them, all together, within {@link SchedulerConfig#sameMachineJobs}.
 * {@code localhost} entries are not counted: they are this machine's own slots, which the host list sizes.
 * Each host name is resolved once (outside the scheduler's lock); a name that does not resolve counts as
 * another machine. Thread-safe.
 */
final class SameMachine {
    /** Decides whether a host (its name or address, and its TCP port; -1 for ssh) runs on this machine. */
    @FunctionalInterface
    interface Locator {
        boolean onThisMachine(String host, int port);
    }

    private final Locator locator;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    SameMachine(Locator locator) {
        this.locator = locator;
    }

    /** No host counts as this machine (tests of everything else). */
    static SameMachine none() {
        return new SameMachine((host, port) -> false);
    }

    /**
     * By address (loopback, the wildcard address, an address of one of this machine's interfaces), and for TCP
     * hosts by a listener of this machine in another network namespace ({@link #servedInANamespace}).
     */
    static SameMachine byAddress() {
        Path proc = Path.of("/proc");
        return new SameMachine((host, port) -> {
            if (localAddress(host)) {
                return true;
            }
            try {
                return port > 0 && InetAddress.getByName(host) instanceof Inet4Address v4
                        && servedInANamespace(proc, v4, port);
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        });
    }

    /** Whether the remote host {@code h} runs on this machine (deciding the first time it is asked about it). */
    boolean shares(HostSpec h) {
        return switch (h) {
            case HostSpec.Tcp t -> known.computeIfAbsent(t.displayName(), k -> locator.onThisMachine(t.host(), t.port()));
            case HostSpec.Ssh s -> known.computeIfAbsent(s.host(), k -> locator.onThisMachine(s.host(), -1));
            case HostSpec.Local _ -> false;
        };
    }

    /**
     * Whether a process of this machine listens on {@code address:port} in a network namespace where that
     * address is its own: a volunteer in a container or a namespace of this machine. One process per namespace
     * is looked at ({@code PROC/PID/ns/net}); its {@code net/tcp} must hold a listening socket on the port, at
     * the address itself or at the wildcard address with the address local there ({@code net/fib_trie}).
     * Namespaces this process may not look into are skipped (false when it may look into none).
     */
    static boolean servedInANamespace(Path proc, Inet4Address address, int port) {
        String exact = procTcpAddress(address, port);
        String wildcard = procTcpAddress(null, port);
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path pid : pids) {
                String ns;
                try {
                    ns = Files.readSymbolicLink(pid.resolve("ns/net")).toString();
                } catch (IOException | SecurityException | UnsupportedOperationException e) {
                    continue;
                }
                if (!seen.add(ns)) {
                    continue;
                }
                try {
                    Set<String> listening = listening(Files.readAllLines(pid.resolve("net/tcp")));
                    if (listening.contains(exact) || (listening.contains(wildcard)
                            && localIn(Files.readAllLines(pid.resolve("net/fib_trie")), address))) {
                        return true;
                    }
                } catch (IOException | SecurityException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }

    /** An IPv4 socket address as {@code /proc/net/tcp} writes it ("0100007F:0E30"); null: the wildcard address. */
    static String procTcpAddress(Inet4Address a, int port) {
        byte[] b = a == null ? new byte[4] : a.getAddress();
        return String.format("%02X%02X%02X%02X:%04X", b[3] & 0xff, b[2] & 0xff, b[1] & 0xff, b[0] & 0xff, port);
    }

    /** The local addresses of the listening sockets (state 0A) in a {@code /proc/PID/net/tcp}. */
    static Set<String> listening(List<String> tcp) {
        Set<String> out = new HashSet<>();
        for (String line : tcp) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[0].endsWith(":") && f[3].equals("0A")) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** Whether a {@code /proc/PID/net/fib_trie} lists {@code a} as a local (host) address. */
    static boolean localIn(List<String> fibTrie, Inet4Address a) {
        String entry = "|-- " + a.getHostAddress();
        for (int i = 0; i < fibTrie.size(); i++) {
            if (fibTrie.get(i).trim().equals(entry)) {
                for (int j = i + 1; j < fibTrie.size() && fibTrie.get(j).trim().startsWith("/"); j++) {
                    if (fibTrie.get(j).contains("host LOCAL")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean localAddress(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (UnknownHostException | SocketException | SecurityException e) {
            return false;
        }
    }

    /**
     * The jobs all volunteers on this machine may run at once by default: one more than its online CPUs. A job
     * in flight spends part of its time off the CPU (its input and reply on the socket, distccd's fork and
     * files), and one more job keeps the cores busy through those gaps; beyond that, more jobs only share the
     * same cores. On 2 cores, 3 slots in all built the ext4 workload in 27.6 s against 30.6 s with 6
     * (docs/benchmarks.md, the "Rerun" with BENCH_VOLUNTEER_JOBS=1).
     */
    static int autoJobs(int cpus) {
        return Math.max(1, cpus) + 1;
    }

    /** This machine's online CPUs ({@code /sys/devices/system/cpu/online}, e.g. "0-3,6"), not just this process's. */
    static int onlineCpus(Path online) {
        try {
            int n = IdleCpus.cpuList(Files.readString(online)).cardinality();
            return n > 0 ? n : Runtime.getRuntime().availableProcessors();
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int onlineCpus() {
        return onlineCpus(Path.of("/sys/devices/system/cpu/online"));
    }
}
