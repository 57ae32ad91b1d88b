package dev.jdistcc.netboot.cli;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.KernelCmdline;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootDir;
import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.pxe.DhcpMode;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.HostInterface;
import dev.jdistcc.netboot.hub.NetbootHub;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jdistcc-netboot serve}: one process serving everything a netbooted volunteer needs on one interface until
 * stopped: the hub (toolchains, volunteer registration, distcc host file) with the HTTP boot files under
 * {@code /netboot}, and dnsmasq for (proxy)DHCP and TFTP.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the appliance to machines that network-boot on one interface, until stopped"
                + " (Ctrl-C or SIGTERM), from a hub in this process: the booted volunteers fetch its toolchains and"
                + " register with it, and its distcc host file lists them while they heartbeat.",
                "By default as proxyDHCP: the LAN's DHCP server keeps assigning addresses and only PXE clients are"
                        + " answered. With --dhcp-range, netboot is the DHCP server (isolated lab networks only)."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE",
            description = "The interface the volunteer machines are on; nothing is served on any other.")
    String iface;

    @ArgGroup(exclusive = true)
    Dhcp dhcp = new Dhcp();

    static final class Dhcp {
        @Option(names = "--proxy", description = "proxyDHCP beside the LAN's DHCP server (the default).")
        boolean proxy;

        @Option(names = "--dhcp-range", paramLabel = "FIRST-LAST",
                description = "Be the DHCP server, handing out FIRST..LAST (same subnet as IFACE).")
        String range;

        @Option(names = "--no-dhcp", description = "HTTP only; DHCP and TFTP are done elsewhere.")
        boolean none;
    }

    @Option(names = "--lease", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Lease time with --dhcp-range (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration lease;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Image image;

    static final class Image {
        @ArgGroup(exclusive = false)
        Files files;

        @Option(names = "--netboot-dir", paramLabel = "DIR",
                description = "The image builder's netboot/ output (netboot.properties, vmlinuz, initrd.img).")
        Path dir;
    }

    static final class Files {
        @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "The appliance kernel.")
        Path kernel;

        @Option(names = "--initrd", required = true, paramLabel = "FILE",
                description = "An initramfs; repeat for layers, loaded in order.")
        List<Path> initrds;

        @Option(names = "--cmdline", defaultValue = "console=tty0 console=ttyS0,115200", paramLabel = "ARGS",
                description = "The image's own kernel arguments (default: ${DEFAULT-VALUE}).")
        String cmdline;
    }

    @Option(names = "--hub-url", paramLabel = "URL",
            description = "Override the hub URL volunteers are given (jdistcc.hub=); default: this process's own hub,"
                    + " http://<IFACE address>:<port>/.")
    String hubUrl;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Override the key volunteers trust (jdistcc.key=, ed25519:<base64>); default: this hub's own"
                    + " public key.")
    String key;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "${sys:user.home}/.cache/jdistcc/hub",
            description = "The hub's state directory (signing key, bundles, hosts file), shared with jdistcc-hub."
                    + " Default: ${DEFAULT-VALUE}")
    Path state;

    @Option(names = {"--port", "--http-port"}, defaultValue = "3640", paramLabel = "PORT",
            description = "HTTP port of the hub (toolchains, registration, netboot) on IFACE's address; 0 picks a free"
                    + " one. Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(names = "--compiler", paramLabel = "NAME",
            description = "Compiler to package for the volunteers (repeatable). Default: every compiler on PATH.")
    List<String> compilers;

    @Option(names = "--no-package", description = "Package nothing; serve the toolchains already in --state.")
    boolean noPackage;

    @Option(names = "--rescan-seconds", defaultValue = "60", paramLabel = "S",
            description = "How often to look for new compilers. Default: ${DEFAULT-VALUE}")
    long rescan;

    @Option(names = "--heartbeat-seconds", defaultValue = "10", paramLabel = "S",
            description = "Heartbeat interval asked of volunteers; one silent for 3 intervals leaves the host list."
                    + " Default: ${DEFAULT-VALUE}")
    long heartbeat;

    @Option(names = "--hosts-file", paramLabel = "FILE",
            description = "distcc host file kept in sync with the live volunteers. Default: <state>/hosts")
    Path hostsFile;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "Another kernel argument for every machine.")
    List<String> args = new ArrayList<>();

    @Option(names = "--mac-arg", paramLabel = "MAC=ARG",
            description = "A kernel argument for one machine only, e.g. 52:54:00:12:34:56=jdistcc.jobs=2.")
    List<String> macArgs = new ArrayList<>();

    @Option(names = "--ipxe-dir", defaultValue = "/usr/lib/ipxe", paramLabel = "DIR",
            description = "Where undionly.kpxe and snponly.efi are (default: ${DEFAULT-VALUE}).")
    Path ipxeDir;

    @Option(names = "--ipxe-sha256", paramLabel = "FILE=DIGEST",
            description = "Accept another digest for an iPXE binary (after an ipxe package upgrade).")
    Map<String, String> ipxePins = new HashMap<>();

    @Option(names = "--dnsmasq", defaultValue = "/usr/sbin/dnsmasq", paramLabel = "FILE",
            description = "The dnsmasq binary (default: ${DEFAULT-VALUE}).")
    Path dnsmasq;

    @Option(names = {"-v", "--verbose"}, description = "Print every dnsmasq log line.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NetbootHub server;
        try {
            server = NetbootHub.start(settings(), new PrintingListener(out, verbose), e -> HubLines.print(out, e));
        } catch (NetbootException | IOException e) {
            err.println("jdistcc-netboot: " + e.getMessage());
            err.flush();
            return 2;
        }
        Thread hook = new Thread(() -> stop(server, out), "netboot-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Banner.print(out, server);
        if (server.awaitStop()) {
            return 0;
        }
        server.close(); // also waits for dnsmasq's last log lines
        err.println("jdistcc-netboot: dnsmasq stopped unexpectedly. Its last lines:\n  "
                + String.join("\n  ", server.pxe().orElseThrow().recentLog()));
        err.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook's close() is a no-op now.
        }
        return 1;
    }

    private static void stop(NetbootHub server, PrintWriter out) {
        String what = server.pxe().map(p -> "dnsmasq (pid " + p.dnsmasqPid() + ") stopped, removed " + p.workDir()
                + "; hub stopped").orElse("hub stopped");
        server.close();
        out.println("jdistcc-netboot: " + what);
        out.flush();
    }

    NetbootHub.Settings settings() throws NetbootException {
        BootArtifacts artifacts = artifacts();
        Map<MacAddress, List<String>> extra = new LinkedHashMap<>();
        for (String spec : macArgs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("--mac-arg '" + spec + "' must be MAC=ARG, e.g. 52:54:00:12:34:56=jdistcc.jobs=2");
            }
            extra.computeIfAbsent(MacAddress.parse(spec.substring(0, eq)), m -> new ArrayList<>()).add(spec.substring(eq + 1));
        }
        // Refuse a bad override or argument now, before looking at the network (the hub's own URL and key are
        // checked again once it runs).
        BootConfig check = new BootConfig(hubUrl, key, args);
        KernelCmdline.compose(artifacts, check);
        for (List<String> more : extra.values()) {
            KernelCmdline.compose(artifacts, check.withExtraArgs(more));
        }
        if (heartbeat < 1 || rescan < 1) {
            throw new ConfigException("--heartbeat-seconds and --rescan-seconds must be at least 1");
        }
        HostInterface nif = HostInterface.lookup(iface);
        Optional<DhcpMode> mode = dhcp.none ? Optional.empty()
                : Optional.of(dhcp.range != null ? DhcpMode.parseRange(dhcp.range, nif, lease) : new DhcpMode.Proxy());
        Hub.Config c = Hub.Config.defaults(state).withBind(nif.address().getHostAddress(), httpPort);
        if (compilers != null && !compilers.isEmpty()) {
            c = c.withCompilers(compilers);
        }
        c = new Hub.Config(c.stateDir(), c.bindHost(), c.port(), c.compilers(), Duration.ofSeconds(rescan),
                Duration.ofSeconds(heartbeat), hostsFile != null ? hostsFile : c.hostsFile(), c.compression());
        if (noPackage) {
            c = c.withPackagingGate(() -> false);
        }
        return new NetbootHub.Settings(c, Optional.of(nif), mode, artifacts, Optional.ofNullable(hubUrl),
                Optional.ofNullable(key), args, extra, ipxeDir, FirmwarePin.debian(ipxePins), dnsmasq,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    private BootArtifacts artifacts() throws NetbootException {
        if (image.dir != null) {
            return NetbootDir.load(image.dir);
        }
        BootFile kernel = BootFile.of("vmlinuz", image.files.kernel);
        List<BootFile> initrds = new ArrayList<>();
        for (Path p : image.files.initrds) {
            initrds.add(BootFile.of(p.getFileName().toString(), p));
        }
        return BootArtifacts.of(kernel, initrds, image.files.cmdline);
    }
}
