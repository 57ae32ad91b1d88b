package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.DhcpServerException;
import dev.jdistcc.netboot.PortInUseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds UDP sockets that would clash with netboot's DHCP (67), TFTP (69) and PXE (4011) sockets on one
 * interface. dnsmasq itself does not notice: it sets {@code SO_REUSEADDR} and binds DHCP per device, so
 * a second DHCP server on the same link starts happily and both answer. {@code ss} (iproute2) reports
 * each socket's address and bound device, which is what decides a clash.
 */
public final class PortProbe {

    public static final int DHCP = 67;
    public static final int TFTP = 69;
    public static final int PXE = 4011;

    /** One socket in the way. */
    public record Clash(int port, String local, String process) {}

    private PortProbe() {}

    /** Refuses, naming the holder, if any of netboot's ports is taken on {@code nif}. */
    public static void check(HostInterface nif) throws PortInUseException, DhcpServerException {
        List<String> lines = ss();
        // DHCP first: it is the clash that matters most and the one users recognise.
        List<Clash> clashes = clashes(lines, nif).stream().sorted(java.util.Comparator.comparingInt(Clash::port)).toList();
        if (!clashes.isEmpty()) {
            Clash c = clashes.getFirst();
            String what = switch (c.port()) {
                case DHCP -> "DHCP (UDP 67): another DHCP server runs on this host for " + nif.name()
                        + ". Stop it, or let it do PXE itself";
                case TFTP -> "TFTP (UDP 69): another TFTP server listens on " + nif.name() + ". Stop it";
                default -> "PXE (UDP 4011): another PXE server listens on " + nif.name() + ". Stop it";
            };
            throw new PortInUseException("cannot serve " + what + " (socket " + c.local() + " held by "
                    + (c.process().isEmpty() ? "an unknown process" : c.process()) + ").");
        }
    }

    /** Pure: the clashing sockets among {@code ss -H -l -u -n -p} lines. */
    static List<Clash> clashes(List<String> ssLines, HostInterface nif) {
        List<Clash> out = new ArrayList<>();
        for (String line : ssLines) {
            String[] cols = line.strip().split("\\s+");
            if (cols.length < 5) {
                continue;
            }
            String local = cols[3];
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(local.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String addr = local.substring(0, colon);
            String dev = null;
            int pct = addr.indexOf('%');
            if (pct >= 0) {
                dev = addr.substring(pct + 1);
                addr = addr.substring(0, pct);
            }
            boolean sameDevice = dev == null || dev.equals(nif.name());
            boolean wildcard = addr.equals("*") || addr.equals("0.0.0.0") || addr.equals("[::]");
            boolean ours = addr.equals(nif.address().getHostAddress());
            boolean clash = switch (port) {
                case DHCP -> sameDevice;
                case TFTP, PXE -> sameDevice && (wildcard || ours);
                default -> false;
            };
            if (clash) {
                out.add(new Clash(port, local, cols.length > 5 ? cols[5] : ""));
            }
        }
        return out;
    }

    private static List<String> ss() throws DhcpServerException {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-H", "-l", "-u", "-n", "-p").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new DhcpServerException("cannot run 'ss' to check for other DHCP/TFTP servers (install it:"
                    + " apt-get install iproute2): " + e.getMessage(), e);
        }
        try {
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }, Thread::startVirtualThread);
            if (!p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DhcpServerException("'ss -lunp' did not finish within 10 s");
            }
            String out = output.get(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new DhcpServerException("'ss -lunp' failed: " + out.strip());
            }
            return out.lines().toList();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new DhcpServerException("cannot read the output of 'ss': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DhcpServerException("interrupted while checking ports", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
