package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharing lock files with the stock client, distccmon-text reading our state, and the ssh transport. */
class InteropTest {
    @TempDir
    Path work;
    @TempDir
    Path distccDir;

    @BeforeEach
    void fixtures() throws Exception {
        StockDistccd.requireTools();
        Fixtures.write(work);
    }

    @Test
    void slotHeldByStockDistccIsBusyForUs() throws Exception {
        try (HangingServer server = new HangingServer()) {
            String spec = "127.0.0.1:" + server.port() + "/2";
            Process stock = Run.start(Run.stock("gcc", "-c", "src/hello.c", "-o", "s.o"), work,
                    Run.env(distccDir, Map.of("DISTCC_HOSTS", spec)));
            server.awaitConnection(); // stock now holds cpu_tcp_127.0.0.1_PORT_0
            HostSpec host = HostListParser.parse(spec, "x", 1).hosts().getFirst();
            SlotLocks locks = new SlotLocks(distccDir.resolve("lock"));
            assertNull(locks.tryLock(host, 0), "fcntl lock of the stock client is visible to FileChannel.tryLock");
            try (SlotLocks.Lease l = locks.tryLock(host, 1)) {
                assertNotNull(l);
            }
            server.dropClient();
            assertEquals(0, Run.finish(stock, work).exit());
            try (SlotLocks.Lease l = locks.tryLock(host, 0)) {
                assertNotNull(l, "released when stock distcc exits");
            }
        }
    }

    @Test
    void stockDistccBlocksOnASlotWeHold() throws Exception {
        try (HangingServer server = new HangingServer()) {
            String spec = "127.0.0.1:" + server.port() + "/1";
            HostSpec host = HostListParser.parse(spec, "x", 1).hosts().getFirst();
            SlotLocks locks = new SlotLocks(distccDir.resolve("lock"));
            Process stock;
            try (SlotLocks.Lease held = locks.tryLock(host, 0)) {
                assertNotNull(held);
                stock = Run.start(Run.stock("gcc", "-c", "src/hello.c", "-o", "s.o"), work,
                        Run.env(distccDir, Map.of("DISTCC_HOSTS", spec, "DISTCC_PAUSE_TIME_MSEC", "50")));
                // Stock writes no state file while blocked; its pause between lock scans is a sleep syscall.
                while (!sleeping(stock.pid())) {
                    assertTrue(stock.isAlive(), "stock distcc ended while our lock was held");
                    Thread.sleep(20);
                }
                assertEquals(0, server.accepted(), "stock waits for our slot instead of connecting");
            }
            while (server.accepted() == 0) {
                assertTrue(stock.isAlive(), "stock distcc ended without connecting");
                Thread.sleep(20);
            }
            server.dropClient();
            assertEquals(0, Run.finish(stock, work).exit());
        }
    }

    /** In nanosleep (35) or clock_nanosleep (230) on x86-64, per /proc/PID/syscall. */
    private static boolean sleeping(long pid) {
        try {
            String sc = Files.readString(Path.of("/proc/" + pid + "/syscall")).trim();
            return sc.startsWith("35 ") || sc.startsWith("230 ");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void distccmonTextShowsOurRunningJob() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/distccmon-text"))) {
            throw new AssertionError("distccmon-text is missing: apt-get install distcc");
        }
        try (HangingServer server = new HangingServer()) {
            Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "127.0.0.1:" + server.port()));
            Process ours = Run.start(Run.jdistcc("distcc", "gcc", "-c", "src/hello.c", "-o", "j.o"), work, env);
            server.awaitConnection();
            String line = "";
            for (int i = 0; i < 500 && !line.contains("Compile"); i++) {
                Path monDir = Files.createTempDirectory("mon");
                Run mon = Run.exec(List.of("/usr/bin/distccmon-text"), monDir, env);
                line = mon.stdout().lines().filter(l -> l.trim().startsWith(Long.toString(ours.pid()))).findFirst().orElse("");
            }
            assertTrue(line.matches("\\s*" + ours.pid() + "\\s+Compile\\s+hello\\.c\\s+127\\.0\\.0\\.1\\[0\\]"), line);
            server.dropClient();
            Run r = Run.finish(ours, work);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(Files.notExists(distccDir.resolve("state/binstate_" + ours.pid())), "state file removed");
        }
    }

    @Test
    void sshHostsSpeakTheProtocolThroughDistccdInetd() throws Exception {
        Path ssh = work.resolve("fake-ssh");
        Path argsSeen = work.resolve("ssh-args");
        // Stands in for ssh: records its arguments, drops [-l user] host, runs the remote command here.
        Files.writeString(ssh, """
                #!/bin/sh
                echo "$@" > %s
                [ "$1" = "-l" ] && shift 2
                shift
                cmd=$1; shift
                [ "$cmd" = distccd ] && cmd=/usr/bin/distccd
                exec "$cmd" "$@" 2>/dev/null
                """.formatted(argsSeen));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Run.env(distccDir, Map.of("DISTCC_HOSTS", "ted@buildbox/2,lzo", "DISTCC_SSH", ssh.toString()));
        Run r = Run.exec(Run.jdistcc("distcc", "gcc", "-c", "src/hello.c", "-o", "j.o"), work, env);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());
        assertEquals("-l ted buildbox distccd --inetd --enable-tcp-insecure\n", Files.readString(argsSeen));
        Run.exec(List.of("gcc", "-c", "src/hello.c", "-o", "l.o"), work, env);
        assertArrayEquals(Files.readAllBytes(work.resolve("l.o")), Files.readAllBytes(work.resolve("j.o")));
        assertTrue(Files.exists(distccDir.resolve("lock/cpu_ssh_buildbox_0")));
    }
}
