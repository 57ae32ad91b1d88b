package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which volunteers run on this machine: a distccd reached at a loopback address or at one of this machine's
 * own interface addresses (a distccd started beside the client, a volunteer VM behind a port forward such as
 * the QEMU appliance of {@code scripts/demo}). Their compiles take the same cores as this machine's
 * preprocessors and each other, so their slots together are worth no more than the cores: the scheduler
 * keeps the jobs it sends to them, all together, within {@link SchedulerConfig#sameMachineJobs}.
 * {@code localhost} entries are not counted: they are this machine's own slots, which the host list sizes.
 * Each host name is resolved once (outside the scheduler's lock); a name that does not resolve counts as
 * another machine. Thread-safe.
 */
final class SameMachine {
    private final Predicate<String> onThisMachine;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    SameMachine(Predicate<String> onThisMachine) {
        this.onThisMachine = onThisMachine;
    }

    /** No host counts as this machine (tests of everything else). */
    static SameMachine none() {
        return new SameMachine(host -> false);
    }

    /** By address: loopback, the wildcard address, or an address of one of this machine's interfaces. */
    static SameMachine byAddress() {
        return new SameMachine(SameMachine::localAddress);
    }

    /** Whether the remote host {@code h} runs on this machine (resolving its name the first time). */
    boolean shares(HostSpec h) {
        return h instanceof HostSpec.Remote r && known.computeIfAbsent(r.host(), onThisMachine::test);
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
     * (docs/benchmarks.md, "Rerun").
     */
    static int autoJobs(int cpus) {
        return Math.max(1, cpus) + 1;
    }

    /** This machine's online CPUs ({@code /sys/devices/system/cpu/online}, e.g. "0-3,6"), not just this process's. */
    static int onlineCpus(Path online) {
        try {
            int n = 0;
            for (String part : Files.readString(online).trim().split(",")) {
                String[] range = part.trim().split("-");
                int from = Integer.parseInt(range[0]);
                n += (range.length > 1 ? Integer.parseInt(range[1]) : from) - from + 1;
            }
            return n > 0 ? n : Runtime.getRuntime().availableProcessors();
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int onlineCpus() {
        return onlineCpus(Path.of("/sys/devices/system/cpu/online"));
    }
}
