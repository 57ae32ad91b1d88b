package dev.jdistcc.netboot.hub;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.KernelCmdline;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.NetbootService;
import dev.jdistcc.netboot.PortInUseException;
import dev.jdistcc.netboot.http.NetbootHandler;
import dev.jdistcc.netboot.pxe.DhcpMode;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.HostInterface;
import dev.jdistcc.netboot.pxe.PxeResponder;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One process for everything a netbooted volunteer needs: the {@link Hub} (signed toolchains, volunteer
 * registry, distcc host file) with netboot's handlers mounted under {@value #MOUNT} on the same HTTP server,
 * and optionally dnsmasq for (proxy)DHCP and TFTP on the LAN interface. The kernel command line points the
 * volunteers at this very hub: its URL and its public key, unless overridden (e.g. a QEMU guestfwd address).
 */
public final class NetbootHub implements AutoCloseable {

    public static final String MOUNT = "/netboot";

    /**
     * @param hub         the hub's configuration; its bind address must be reachable by the volunteers
     * @param nif         the LAN interface for DHCP/TFTP; empty with {@code mode} empty (HTTP only)
     * @param mode        (proxy)DHCP and TFTP through dnsmasq on {@code nif}; empty for HTTP only
     * @param hubUrl      the {@code jdistcc.hub=} value; empty: this hub's own URL
     * @param key         the {@code jdistcc.key=} value; empty: this hub's own public key
     * @param args        more kernel arguments for every machine
     * @param macArgs     more kernel arguments for single machines
     */
    public record Settings(Hub.Config hub, Optional<HostInterface> nif, Optional<DhcpMode> mode, BootArtifacts artifacts,
                           Optional<String> hubUrl, Optional<String> key, List<String> args,
                           Map<MacAddress, List<String>> macArgs, Path firmwareDir, List<FirmwarePin> pins, Path dnsmasq,
                           Path workParent) {
        public Settings {
            args = List.copyOf(args);
            macArgs = Map.copyOf(macArgs);
            if (mode.isPresent() && nif.isEmpty()) {
                throw new IllegalArgumentException("DHCP/TFTP needs an interface");
            }
        }

        /** HTTP only (DHCP and TFTP done elsewhere, e.g. QEMU's user network), Debian's iPXE, no extra arguments. */
        public static Settings httpOnly(Hub.Config hub, BootArtifacts artifacts, Optional<String> hubUrl, List<String> args)
                throws ConfigException {
            return new Settings(hub, Optional.empty(), Optional.empty(), artifacts, hubUrl, Optional.empty(), args,
                    Map.of(), FirmwarePin.DEBIAN_DIR, FirmwarePin.debian(Map.of()), Path.of("/usr/sbin/dnsmasq"),
                    Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    private final Settings settings;
    private final Hub hub;
    private final NetbootService service;
    private final PxeResponder pxe;
    private final BootConfig common;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private NetbootHub(Settings settings, Hub hub, NetbootService service, PxeResponder pxe, BootConfig common) {
        this.settings = settings;
        this.hub = hub;
        this.service = service;
        this.pxe = pxe;
        this.common = common;
    }

    /**
     * Starts the hub with netboot mounted, then dnsmasq if asked. Refuses (and leaves nothing running) on a bad
     * kernel argument, URL or key, a taken port or a dnsmasq that does not come up.
     */
    public static NetbootHub start(Settings s, NetbootListener listener, Consumer<HubEvent> hubEvents)
            throws NetbootException, IOException {
        ConfigsHolder configs = new ConfigsHolder();
        NetbootService service = new NetbootService(s.artifacts(), configs, listener);
        PxeResponder[] pxe = new PxeResponder[1];
        NetbootHandler handler = NetbootHandler.create(service, () -> info(s, pxe[0]));
        Hub hub;
        try {
            hub = Hub.start(s.hub(), hubEvents, routes -> handler.addTo(routes, MOUNT));
        } catch (RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                throw new PortInUseException("port " + s.hub().port() + " on " + s.hub().bindHost()
                        + " is taken; choose another with --port (0: any free one)", e);
            }
            throw e;
        } catch (dev.jdistcc.toolchain.ToolchainException.BadManifest e) {
            throw new IOException("the hub's state in " + s.hub().stateDir() + " is unreadable: " + e.getMessage(), e);
        }
        try {
            BootConfig common = new BootConfig(s.hubUrl().orElse(hub.url().toString()),
                    s.key().orElse(hub.store().publicKey().toString()), s.args());
            Map<MacAddress, BootConfig> table = new LinkedHashMap<>();
            s.macArgs().forEach((mac, more) -> table.put(mac, common.withExtraArgs(more)));
            // Refuse a bad URL, key or argument now rather than on a booting machine's screen.
            KernelCmdline.compose(s.artifacts(), common);
            for (BootConfig c : table.values()) {
                KernelCmdline.compose(s.artifacts(), c);
            }
            configs.set(BootConfigs.perMac(table, common));
            if (s.mode().isPresent()) {
                pxe[0] = PxeResponder.start(new PxeResponder.Settings(s.nif().orElseThrow(), s.mode().get(),
                        base(hub), s.firmwareDir(), s.pins(), s.dnsmasq(), s.workParent(), Duration.ofSeconds(15)),
                        listener);
            }
            return new NetbootHub(s, hub, service, pxe[0], common);
        } catch (NetbootException | RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    private static String base(Hub hub) {
        String u = hub.url().toString();
        return (u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + MOUNT;
    }

    private static Map<String, String> info(Settings s, PxeResponder pxe) {
        Map<String, String> m = new LinkedHashMap<>();
        s.nif().ifPresent(n -> m.put("interface", n.toString()));
        m.put("DHCP", s.mode().map(NetbootHub::describe).orElse("none (HTTP only)"));
        if (pxe != null) {
            m.put("dnsmasq", "pid " + pxe.dnsmasqPid() + (pxe.isAlive() ? "" : " (stopped)") + ", config "
                    + pxe.configFile());
            m.put("TFTP root", pxe.tftpRoot().toString());
        }
        m.put("hub state", s.hub().stateDir().toString());
        m.put("distcc hosts file", s.hub().hostsFile().toString());
        return m;
    }

    /** One line for banners and status pages. */
    public static String describe(DhcpMode mode) {
        return switch (mode) {
            case DhcpMode.Proxy p -> "proxyDHCP beside the LAN's DHCP server (answers PXE clients only)";
            case DhcpMode.Full f -> "full DHCP for an isolated network, addresses " + f.first().getHostAddress()
                    + " to " + f.last().getHostAddress();
        };
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    public Settings settings() {
        return settings;
    }

    public Hub hub() {
        return hub;
    }

    public NetbootService service() {
        return service;
    }

    public Optional<PxeResponder> pxe() {
        return Optional.ofNullable(pxe);
    }

    /** What every machine without a {@code macArgs} entry boots with: hub URL, key and arguments. */
    public BootConfig bootConfig() {
        return common;
    }

    /** The netboot base URL on this hub, e.g. {@code http://10.0.0.1:3640/netboot} (no trailing slash). */
    public String baseUrl() {
        return base(hub);
    }

    public String entryUrl() {
        return baseUrl() + "/boot.ipxe";
    }

    public String statusUrl() {
        return baseUrl() + "/status";
    }

    /** Waits until {@link #close} ran (true) or dnsmasq stopped on its own (false: report its log, then close). */
    public boolean awaitStop() throws InterruptedException {
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            if (pxe != null && !pxe.isAlive() && !closing) {
                return false;
            }
        }
        return true;
    }

    /** Stops dnsmasq (by PID, removing its files), then the hub. Idempotent. */
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
            hub.close();
            stopped.countDown();
        }
    }

    /** The boot table is known only once the hub is up (its URL and key); requests before that are refused. */
    private static final class ConfigsHolder implements BootConfigs {
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile BootConfigs delegate;

        void set(BootConfigs d) {
            delegate = d;
            ready.countDown();
        }

        @Override
        public BootConfig forMac(MacAddress mac) {
            try {
                if (!ready.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("netboot is still starting");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return delegate.forMac(mac);
        }
    }
}
