package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Boots a QEMU guest from the network under TCG (KVM is not usable on the project's machines), serial
 * console on stdout, and waits for a console marker with a deadline. Stopped by PID.
 */
public final class Qemu {

    public enum Firmware { BIOS, UEFI }

    public static final String MAC = "52:54:00:12:34:56";

    private Qemu() {}

    /**
     * @param netdev  the {@code -netdev} value (id must be {@code n0})
     * @param nicRom  false to boot with the firmware's own PXE instead of QEMU's iPXE option ROM
     *                (UEFI: OVMF's VirtioNetDxe + PXE; then iPXE must come over TFTP)
     */
    public static List<String> command(Firmware fw, String netdev, boolean nicRom, Path scratch) throws IOException {
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "1",
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot", "-boot", "n"));
        if (fw == Firmware.UEFI) {
            Path vars = scratch.resolve("OVMF_VARS_4M.fd");
            Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            c.addAll(List.of("-machine", "q35",
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        c.addAll(List.of("-netdev", netdev, "-device", "virtio-net-pci,netdev=n0,mac=" + MAC + (nicRom ? "" : ",romfile=")));
        return c;
    }

    /** Result of one boot: the marker line and when it came, in seconds after QEMU started. */
    public record Boot(String markerLine, double seconds, String console) {}

    /** Runs {@code command} (optionally in a namespace) until the marker line, then lets the guest power off. */
    public static Boot boot(String netns, List<String> command, String marker, Duration timeout) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(command);
        try (Child q = Child.start(cmd)) {
            Optional<Child.Line> hit = q.await(l -> l.contains(marker), timeout);
            if (hit.isEmpty()) {
                throw new AssertionError("no '" + marker + "' on the console within " + timeout.toSeconds()
                        + " s; console:\n" + q.output());
            }
            q.await(l -> l.contains("reboot: Power down"), Duration.ofSeconds(30));
            return new Boot(hit.get().text(), hit.get().seconds(), q.output());
        }
    }
}
