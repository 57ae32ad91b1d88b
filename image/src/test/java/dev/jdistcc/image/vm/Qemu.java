package dev.jdistcc.image.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One QEMU guest for the boot tests: software emulation (KVM is broken on the build hosts), user-mode
 * networking restricted to the guest ({@code restrict=on}) with the guest's ports 3632 (distccd) and 3633
 * (--stats) forwarded to ephemeral loopback ports and, optionally, one guest address forwarded to the hub's
 * loopback port; serial console on stdout. Readiness is a console line, never a sleep; every
 * wait has a deadline; {@link #close()} stops QEMU by its PID.
 */
public final class Qemu implements AutoCloseable {

    /** Where the guest finds the hub: QEMU forwards this guest address and port to a loopback port of the host. */
    public static final String HUB_GUEST_ADDRESS = "10.0.2.100";
    public static final int HUB_GUEST_PORT = 3640;
    /** The appliance's distccd and --stats ports inside the guest. */
    private static final int DISTCC_PORT = 3632;
    private static final int STATS_PORT = 3633;

    private final Process process;
    private final List<String> console = new ArrayList<>();
    private final int hostPort;
    private final int statsHostPort;
    private final long started = System.nanoTime();

    /**
     * @param hubLoopbackPort the host's loopback port the guest's {@link #HUB_GUEST_ADDRESS}:{@link #HUB_GUEST_PORT}
     *                        is forwarded to (one {@code busybox nc} per connection), or 0 for no forward at all
     */
    private Qemu(List<String> args, int hubLoopbackPort) throws IOException {
        this.hostPort = freePort();
        this.statsHostPort = freePort();
        String netdev = "user,id=n0,restrict=on"
                + ",hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + DISTCC_PORT
                + ",hostfwd=tcp:127.0.0.1:" + statsHostPort + "-:" + STATS_PORT
                + (hubLoopbackPort == 0 ? "" : ",guestfwd=tcp:" + HUB_GUEST_ADDRESS + ":" + HUB_GUEST_PORT
                        + "-cmd:busybox nc 127.0.0.1 " + hubLoopbackPort);
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-nographic", "-no-reboot",
                "-m", "1024", "-netdev", netdev, "-device", "virtio-net-pci,netdev=n0,romfile="));
        cmd.addAll(args);
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        process.getOutputStream().close();
        Thread.ofVirtual().start(this::pump);
    }

    /** Boots {@code vmlinuz} + {@code initrd} directly (-kernel/-initrd/-append). */
    public static Qemu kernel(Path vmlinuz, Path initrd, String cmdline, int hubLoopbackPort) throws IOException {
        return new Qemu(List.of("-kernel", vmlinuz.toString(), "-initrd", initrd.toString(), "-append", cmdline),
                hubLoopbackPort);
    }

    /** Boots the ISO as a CD-ROM with the default BIOS (SeaBIOS, ISOLINUX). */
    public static Qemu biosCdrom(Path iso, int hubLoopbackPort) throws IOException {
        return new Qemu(List.of("-cdrom", iso.toString(), "-boot", "d"), hubLoopbackPort);
    }

    /** Boots the ISO as a USB stick (xHCI) with UEFI firmware (OVMF) enforcing Secure Boot with Microsoft's keys. */
    public static Qemu uefiSecureBootUsb(Path iso, Path scratch, int hubLoopbackPort) throws IOException {
        List<String> args = new ArrayList<>(List.of("-machine", "q35,smm=on",
                "-global", "driver=cfi.pflash01,property=secure,value=on"));
        args.addAll(firmware("OVMF_CODE_4M.ms.fd", "OVMF_VARS_4M.ms.fd", scratch));
        args.addAll(List.of("-drive", "file=" + iso + ",format=raw,if=none,id=stick,readonly=on",
                "-device", "qemu-xhci", "-device", "usb-storage,drive=stick,bootindex=0"));
        return new Qemu(args, hubLoopbackPort);
    }

    /** Boots the ISO as a CD-ROM with UEFI firmware (OVMF) without Secure Boot. */
    public static Qemu uefiCdrom(Path iso, Path scratch, int hubLoopbackPort) throws IOException {
        List<String> args = new ArrayList<>(List.of("-machine", "q35"));
        args.addAll(firmware("OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd", scratch));
        args.addAll(List.of("-cdrom", iso.toString()));
        return new Qemu(args, hubLoopbackPort);
    }

    private static List<String> firmware(String codeName, String varsName, Path scratch) throws IOException {
        Path code = Path.of("/usr/share/OVMF", codeName);
        Path varsTemplate = Path.of("/usr/share/OVMF", varsName);
        if (!Files.exists(code) || !Files.exists(varsTemplate)) {
            fail("UEFI boots need OVMF: apt-get install ovmf");
        }
        Path vars = Files.copy(varsTemplate, scratch.resolve(varsName));
        return List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
                "-drive", "if=pflash,format=raw,unit=1,file=" + vars);
    }

    /** Fails the test with the install command if QEMU is missing. */
    public static void requireQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                return;
            }
        }
        fail("the VM tests need QEMU: apt-get install qemu-system-x86 ovmf");
    }

    /** Seconds since QEMU was started (for the boot-time figures the tests log). */
    public double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** The loopback port forwarded to the guest's 3632. */
    public int hostPort() {
        return hostPort;
    }

    /** The loopback port forwarded to the guest's 3633 (the server's --stats page). */
    public int statsHostPort() {
        return statsHostPort;
    }

    /** Waits for a console line matching {@code regex}; returns the match. Fails with the console on timeout. */
    public Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (console) {
            while (true) {
                for (; seen < console.size(); seen++) {
                    Matcher m = p.matcher(console.get(seen));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && seen == console.size())) {
                    fail("no console line matching /" + regex + "/ within " + timeout.toSeconds() + " s"
                            + (process.isAlive() ? "" : " (QEMU exited " + process.exitValue() + ")")
                            + "; console:\n" + transcript());
                }
                console.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 1_000_000_000L))));
            }
        }
    }

    /** Whether any console line so far matches {@code regex}. */
    public boolean printed(String regex) {
        Pattern p = Pattern.compile(regex);
        synchronized (console) {
            return console.stream().anyMatch(l -> p.matcher(l).find());
        }
    }

    public String transcript() {
        synchronized (console) {
            return String.join("\n", console.subList(Math.max(0, console.size() - 80), console.size()));
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (console) {
                    console.add(line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]|\u001Bc|\r", ""));
                    console.notifyAll();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            synchronized (console) {
                console.notifyAll();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops QEMU by its PID: SIGTERM, then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
