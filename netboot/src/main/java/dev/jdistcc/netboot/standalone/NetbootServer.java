package dev.jdistcc.netboot.standalone;

import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.NetbootService;
import dev.jdistcc.netboot.http.NetbootHandler;
import dev.jdistcc.netboot.http.NetbootHttpServer;
import dev.jdistcc.netboot.pxe.DhcpMode;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.HostInterface;
import dev.jdistcc.netboot.pxe.PxeResponder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Netboot without the hub: the HTTP handler on its own Undertow server bound to the interface's
 * address, plus (unless {@code mode} is empty) dnsmasq for DHCP and TFTP on that interface. The hub
 * composes the same parts itself: {@link NetbootHandler} under its server and a {@link PxeResponder}.
 */
public final class NetbootServer implements AutoCloseable {

    /**
     * @param mode empty for HTTP only (e.g. when QEMU's user network does DHCP and TFTP)
     */
    public record Settings(HostInterface nif, int httpPort, Optional<DhcpMode> mode, BootArtifacts artifacts,
                           BootConfigs configs, Path firmwareDir, List<FirmwarePin> pins, Path dnsmasq,
                           Path workParent) {}

    private final NetbootService service;
    private final NetbootHttpServer http;
    private final PxeResponder pxe;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private NetbootServer(NetbootService service, NetbootHttpServer http, PxeResponder pxe) {
        this.service = service;
        this.http = http;
        this.pxe = pxe;
    }

    public static NetbootServer start(Settings s, NetbootListener listener) throws NetbootException {
        NetbootService service = new NetbootService(s.artifacts(), s.configs(), listener);
        PxeResponder[] pxe = new PxeResponder[1];
        NetbootHandler handler = NetbootHandler.create(service, () -> info(s, pxe[0]));
        NetbootHttpServer http = NetbootHttpServer.start(s.nif().address(), s.httpPort(), handler);
        try {
            if (s.mode().isPresent()) {
                pxe[0] = PxeResponder.start(new PxeResponder.Settings(s.nif(), s.mode().get(), http.baseUrl(),
                        s.firmwareDir(), s.pins(), s.dnsmasq(), s.workParent(), Duration.ofSeconds(15)), listener);
            }
        } catch (NetbootException | RuntimeException e) {
            http.close();
            throw e;
        }
        return new NetbootServer(service, http, pxe[0]);
    }

    private static Map<String, String> info(Settings s, PxeResponder pxe) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("interface", s.nif().toString());
        m.put("DHCP", s.mode().map(NetbootServer::describe).orElse("none (HTTP only)"));
        if (pxe != null) {
            m.put("dnsmasq", "pid " + pxe.dnsmasqPid() + (pxe.isAlive() ? "" : " (stopped)") + ", config "
                    + pxe.configFile());
            m.put("TFTP root", pxe.tftpRoot().toString());
        }
        return m;
    }

    public static String describe(DhcpMode mode) {
        return switch (mode) {
            case DhcpMode.Proxy p -> "proxyDHCP beside the LAN's DHCP server (answers PXE clients only)";
            case DhcpMode.Full f -> "full DHCP for an isolated network, addresses " + f.first().getHostAddress()
                    + " to " + f.last().getHostAddress();
        };
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    public String entryUrl() {
        return http.baseUrl() + "/boot.ipxe";
    }

    public String statusUrl() {
        return http.baseUrl() + "/status";
    }

    public NetbootService service() {
        return service;
    }

    public Optional<PxeResponder> pxe() {
        return Optional.ofNullable(pxe);
    }

    /**
     * Waits until {@link #close} ran or dnsmasq stopped on its own; true if closed, false if dnsmasq
     * died (the caller should report its log and close).
     */
    public boolean awaitStop() throws InterruptedException {
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            if (pxe != null && !pxe.isAlive() && !closing) {
                return false;
            }
        }
        return true;
    }

    /** Stops dnsmasq (by PID), removes its work directory, stops HTTP. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        closing = true;
        try {
            if (pxe != null) {
                pxe.close();
            }
        } finally {
            http.close();
            stopped.countDown();
        }
    }
}
