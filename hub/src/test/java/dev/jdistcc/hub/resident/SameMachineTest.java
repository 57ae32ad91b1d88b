package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Volunteers on this machine share its cores: which hosts they are, and the limit on their jobs together. */
class SameMachineTest extends SchedulerFixture {

    static HostSpec.Tcp elsewhere(int port, int slots) {
        return new HostSpec.Tcp("volunteer:" + port + "/" + slots, "volunteer", port, slots, HostSpec.HostOptions.NONE);
    }

    /** 127.0.0.1 is this machine; the host named "volunteer" is another one. */
    ResidentScheduler scheduler(int sameMachineJobs) {
        return new ResidentScheduler(NO_LOCAL.withSameMachineJobs(sameMachineJobs), clock::get,
                new SameMachine((host, port) -> host.equals("127.0.0.1")));
    }

    @Test
    void loopbackAndThisMachinesOwnAddressesAreThisMachineOthersAreNot() {
        assertTrue(SameMachine.localAddress("127.0.0.1"));
        assertTrue(SameMachine.localAddress("127.0.0.2"), "all of 127/8 is loopback");
        assertTrue(SameMachine.localAddress("::1"));
        assertFalse(SameMachine.localAddress("192.0.2.1"), "a documentation address, on no interface here");
        assertFalse(SameMachine.localAddress("no-such-host.invalid"), "a name that does not resolve");
        SameMachine byAddress = SameMachine.byAddress();
        assertTrue(byAddress.shares(tcp(3632, 2)));
        assertFalse(byAddress.shares(new HostSpec.Local("localhost/2", 2)), "localhost is sized by the host list");
    }

    /** A process in /proc: its network namespace and what its net/tcp and net/fib_trie hold. */
    static void process(Path proc, int pid, String ns, String tcp, String fibTrie) throws Exception {
        Path p = proc.resolve(Integer.toString(pid));
        Files.createDirectories(p.resolve("ns"));
        Files.createDirectories(p.resolve("net"));
        Files.createSymbolicLink(p.resolve("ns/net"), Path.of("net:[" + ns + "]"));
        Files.writeString(p.resolve("net/tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
                + "retrnsmt   uid  timeout inode\n" + tcp);
        Files.writeString(p.resolve("net/fib_trie"), fibTrie);
    }

    static final String NO_FIB = "Main:\n  +-- 0.0.0.0/0 3 0 5\n";

    @Test
    void aVolunteerServedFromAnotherNetworkNamespaceOfThisMachineIsFoundByItsListeningSocket() throws Exception {
        Path proc = dir.resolve("proc");
        Inet4Address volunteer = (Inet4Address) InetAddress.getByName("10.77.0.11");
        Inet4Address other = (Inet4Address) InetAddress.getByName("10.77.0.12");
        assertEquals("0B004D0A:0E30", SameMachine.procTcpAddress(volunteer, 3632));
        // the client's namespace: connected to the volunteer, listening on nothing of it
        process(proc, 100, "1", "   0: 0100004D:9C40 0B004D0A:0E30 01 00000000:00000000 00:00000000 00000000 0 0 1 1\n", NO_FIB);
        // the volunteer's: distccd --listen 10.77.0.11 --port 3632
        process(proc, 200, "2", "   0: 0B004D0A:0E30 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2 1\n", NO_FIB);
        // a namespace whose wildcard listener on 3633 serves 10.77.0.12, a local address there
        process(proc, 300, "3", "   0: 00000000:0E31 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 3 1\n",
                "Local:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.77.0.12\n        /32 host LOCAL\n");
        assertTrue(SameMachine.servedInANamespace(proc, volunteer, 3632));
        assertFalse(SameMachine.servedInANamespace(proc, volunteer, 3633), "no listener on that port at that address");
        assertTrue(SameMachine.servedInANamespace(proc, other, 3633), "the wildcard listener where the address is local");
        assertFalse(SameMachine.servedInANamespace(proc, (Inet4Address) InetAddress.getByName("10.77.0.13"), 3633),
                "a wildcard listener does not serve an address that is not local there");
        assertFalse(SameMachine.servedInANamespace(dir.resolve("no-proc"), volunteer, 3632));
    }

    /** The real thing: a listener in a network namespace this test creates (needs root and iproute2, as CI has). */
    @Test
    void aListenerInARealNetworkNamespaceOfThisMachineIsFound() throws Exception {
        assumeTrue(run("id", "-u").equals("0") && !run("sh", "-c", "command -v ip").isEmpty(),
                "network namespaces need root and iproute2 (scripts/setup-debian)");
        String ns = "jdt-same-" + ProcessHandle.current().pid();
        assertEquals("", run("ip", "netns", "add", ns));
        Process listener = null;
        try {
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "addr", "add", "10.211.0.2/32", "dev", "lo");
            listener = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c",
                    "import socket,sys\ns=socket.socket(); s.bind(('10.211.0.2', 0)); s.listen()\n"
                            + "print(s.getsockname()[1], flush=True)\nsys.stdin.read()")
                    .redirectErrorStream(true).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(listener.getInputStream())).readLine();
            int port = Integer.parseInt(line.trim());
            Inet4Address a = (Inet4Address) InetAddress.getByName("10.211.0.2");
            assertTrue(SameMachine.servedInANamespace(Path.of("/proc"), a, port));
            assertFalse(SameMachine.servedInANamespace(Path.of("/proc"), a, port == 65535 ? 1 : port + 1));
            assertTrue(SameMachine.byAddress().shares(new HostSpec.Tcp("10.211.0.2:" + port, "10.211.0.2", port, 2,
                    HostSpec.HostOptions.NONE)));
        } finally {
            if (listener != null) {
                listener.destroy();
                listener.waitFor();
            }
            run("ip", "netns", "del", ns);
        }
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    @Test
    void theDefaultLimitIsOneJobMoreThanTheOnlineCpus() throws Exception {
        Path online = dir.resolve("online");
        Files.writeString(online, "0-3,6\n");
        assertEquals(5, SameMachine.onlineCpus(online));
        Files.writeString(online, "0\n");
        assertEquals(1, SameMachine.onlineCpus(online));
        assertEquals(Runtime.getRuntime().availableProcessors(), SameMachine.onlineCpus(dir.resolve("missing")));
        assertEquals(3, SameMachine.autoJobs(2));
        assertTrue(SchedulerConfig.defaults().sameMachineJobs() >= 2);
    }

    @Test
    void volunteersOnThisMachineTogetherRunNoMoreJobsThanTheLimitWhateverTheirSlots() throws Exception {
        ResidentScheduler s = scheduler(3);
        HostSpec.Tcp a = tcp(1001, 2);
        HostSpec.Tcp b = tcp(1002, 2);
        HostSpec.Tcp c = tcp(1003, 2);
        assertEquals(3, mostAtOnce(s, 24, a, b, c), "6 slots, but 3 jobs at most on this machine's volunteers");
    }

    @Test
    void aVolunteerElsewhereIsNotLimitedAndTakesTheJobsTheLimitHoldsBack() throws Exception {
        ResidentScheduler s = scheduler(1);
        HostSpec.Tcp here = tcp(1001, 2);
        HostSpec.Tcp there = elsewhere(1002, 2);
        List<SlotLocks.Lease> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(acquire(s, 10_000, here, there));
            }
            assertEquals(1, held.stream().filter(l -> l.host().equals(here)).count(), "one job here, the limit");
            assertEquals(2, held.stream().filter(l -> l.host().equals(there)).count(), "both slots elsewhere");
        } finally {
            for (SlotLocks.Lease l : held) {
                l.close();
            }
        }
        try (SlotLocks.Lease l = acquire(s, 10_000, here)) {
            assertEquals(here, l.host(), "released jobs free the limit again");
        }
    }

    @Test
    void jobsSpreadOverTheVolunteersOnThisMachineSinceAJobSharesItsVolunteerWithTheOthersThere() throws Exception {
        ResidentScheduler s = scheduler(2);
        HostSpec.Tcp a = tcp(1001, 2);
        HostSpec.Tcp b = tcp(1002, 2);
        try (SlotLocks.Lease first = acquire(s, 10_000, a, b); SlotLocks.Lease second = acquire(s, 10_000, a, b)) {
            assertEquals(a, first.host(), "list order among equals");
            assertEquals(b, second.host(), "a already runs a job: b finishes the second first");
        }
    }

    @Test
    void aJobThatRanBesideAnotherOnItsVolunteerIsMeasuredAsIfAlone() throws Exception {
        ResidentScheduler s = scheduler(4);
        HostSpec.Tcp a = tcp(1001, 2);
        try (SlotLocks.Lease _ = acquire(s, 10_000, a); SlotLocks.Lease _ = acquire(s, 10_000, a)) {
            s.finished(new Placement.Outcome(a, 10_000, 20_000_000, Placement.Kind.COMPILED));   // 20 ms beside another
        }
        assertEquals("1000 bytes/ms, 0 in flight, on this machine", s.describe().get("127.0.0.1:1001"));
    }

    @Test
    void noLimitWhenItIsZero() throws Exception {
        ResidentScheduler s = scheduler(0);
        List<SlotLocks.Lease> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(acquire(s, 10_000, tcp(1001, 2), tcp(1002, 2)));
            }
            assertEquals(4, held.size(), "all 4 slots");
        } finally {
            for (SlotLocks.Lease l : held) {
                l.close();
            }
        }
    }
}
