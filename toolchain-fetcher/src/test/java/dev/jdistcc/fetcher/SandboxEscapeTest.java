package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.BundleTree;
import dev.jdistcc.toolchain.BundleWriter;
import dev.jdistcc.toolchain.Compression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deliberately misbehaving "compiler" (a shell script run by a static busybox inside the bundle) tries to
 * read the volunteer's files, reach the network, keep processes alive, write outside its job dir and gain
 * privileges. The sandbox must stop each attempt.
 */
class SandboxEscapeTest {
    @TempDir
    static Path tmp;
    static Path bundle;
    static Path secret;

    @BeforeAll
    static void buildEvilBundle() throws Exception {
        Sandbox.checkTools();
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new AssertionError("/bin/busybox is missing: run `apt-get install -y busybox-static`");
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = Files.writeString(tmp.resolve("evil.sh"), """
                #!/bin/busybox sh
                # the "compiler": runs whatever the first argument says
                case "$1" in
                  --version) echo "evil 1.0"; exit 0 ;;
                  *) eval "$1" ;;
                esac
                """);
        BundleTree t = new BundleTree();
        t.addFile("bin/busybox", busybox, true);
        t.addSymlink("bin/sh", "busybox");
        t.addFile("usr/bin/gcc", script, true);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new BundleWriter(Compression.NONE, 0).writeTo(t, tar);
        bundle = Files.createDirectory(tmp.resolve("bundle"));
        new SafeUnpacker(UnpackLimits.DEFAULT).unpack(new ByteArrayInputStream(tar.toByteArray()), bundle);
        secret = Files.writeString(tmp.resolve("volunteer-secret.txt"), "TOP-SECRET-" + ProcessHandle.current().pid());
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static SandboxedRun.Result evil(String shell) throws Exception {
        return evil(shell, SandboxPolicy.DEFAULT);
    }

    static SandboxedRun.Result evil(String shell, SandboxPolicy policy) throws Exception {
        Path job = Files.createTempDirectory(tmp, "job-");
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
        Sandbox sb = new Sandbox(policy);
        sb.prepareJobDir(job);
        return SandboxedRun.run(sb, bundle, job, List.of("/usr/bin/gcc", shell));
    }

    @Test
    void compileCannotReadTheVolunteersFiles() throws Exception {
        SandboxedRun.Result r = evil("cat " + secret + " /etc/shadow /etc/passwd /root/.ssh/id_ed25519; ls / ; exit 0");
        assertFalse(r.stdout().contains("TOP-SECRET"), r.stdout());
        assertFalse(r.stdout().contains("root:"), r.stdout());
        assertTrue(r.stderr().contains("No such file"), r.stderr());
        assertEquals(List.of("bin", "dev", "proc", "tmp", "usr"), List.of(r.stdout().strip().split("\\s+")), "only the bundle is visible");
    }

    @Test
    void compileCannotReachTheNetwork() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SandboxedRun.Result r = evil("busybox nc 127.0.0.1 " + listener.getLocalPort() + " </dev/null && echo CONNECTED;"
                    + " busybox ip link; exit 0");
            assertFalse(r.stdout().contains("CONNECTED"), r.stdout());
            assertFalse(r.stdout().contains("eth") || r.stdout().contains("ens"), "only a loopback device: " + r.stdout());
            listener.setSoTimeout(1);
            assertThrows(SocketTimeoutException.class, listener::accept, "no connection reached the volunteer's loopback");
        }
    }

    @Test
    void compileLeavesNoProcessesBehind() throws Exception {
        String marker = "31" + ProcessHandle.current().pid();
        SandboxedRun.Result r = evil("busybox setsid busybox sleep " + marker + " >/dev/null 2>&1 & a=$!; "
                + "busybox sleep " + marker + " >/dev/null 2>&1 & b=$!; "
                + "[ -d /proc/$a ] && [ -d /proc/$b ] && echo ALIVE; exit 0");
        assertTrue(r.ok(), r.stderr());
        assertTrue(r.stdout().contains("ALIVE"), "the background processes did start: " + r.stdout() + r.stderr());
        assertEquals(List.of(), survivors("sleep " + marker), "a background process survived the compile");
    }

    /**
     * Processes matching {@code text} that are still alive. The PID namespace is torn down with SIGKILL when the
     * compile ends; a killed process can stay visible for a moment while the kernel reaps it, so this probes
     * (bounded) until they are gone rather than sampling once.
     */
    static List<String> survivors(String text) throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 100; i++) {
            left = ProcessHandle.allProcesses().filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(text))
                    .map(p -> p.pid() + " " + p.info()).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        return left;
    }

    @Test
    void compileRunsUnprivilegedWithoutCapabilitiesAndWithLimits() throws Exception {
        SandboxedRun.Result r = evil("busybox id -u; busybox grep CapEff /proc/self/status; "
                + "busybox grep 'Max address space' /proc/self/limits; busybox hostname");
        assertTrue(r.ok(), r.stderr());
        String[] lines = r.stdout().strip().split("\n");
        assertEquals("65534", lines[0]);
        assertTrue(lines[1].endsWith("0000000000000000"), lines[1]);
        assertTrue(lines[2].contains(String.valueOf(SandboxPolicy.DEFAULT.memoryBytes())), lines[2]);
        assertEquals("jdistcc-sandbox", lines[3]);
    }

    @Test
    void onlyTheJobDirectoryIsWritable() throws Exception {
        SandboxedRun.Result r = evil("echo x > /usr/bin/gcc && echo WROTE-BUNDLE; echo x > /newfile && echo WROTE-ROOT;"
                + " echo ok > out.o && echo WROTE-JOB; exit 0");
        assertFalse(r.stdout().contains("WROTE-BUNDLE") || r.stdout().contains("WROTE-ROOT"), r.stdout());
        assertTrue(r.stdout().contains("WROTE-JOB"), r.stdout() + r.stderr());
        assertEquals("#!/bin/busybox sh", Files.readAllLines(bundle.resolve("usr/bin/gcc")).getFirst());
    }

    @Test
    void runawayCompileIsKilledAtItsDeadline() throws Exception {
        String marker = "47" + ProcessHandle.current().pid();
        SandboxedRun.Result r = evil("busybox sleep " + marker, SandboxPolicy.DEFAULT.withWallTimeout(Duration.ofSeconds(2)));
        assertTrue(r.timedOut());
        assertEquals(List.of(), survivors("sleep " + marker));
    }
}
