package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.KernelCmdline;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootDir;
import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.pxe.DhcpMode;
import dev.jdistcc.netboot.pxe.FirmwarePin;
import dev.jdistcc.netboot.pxe.HostInterface;
import dev.jdistcc.netboot.standalone.NetbootServer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

/** {@code jdistcc-netboot serve}: HTTP boot, TFTP and DHCP on one interface until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the appliance to machines that network-boot on one interface, until stopped"
                + " (Ctrl-C or SIGTERM).",
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

    @Option(names = "--hub-url", required = true, paramLabel = "URL",
            description = "The hub volunteers register with and fetch toolchains from (jdistcc.hub=).")
    String hubUrl;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "The hub's public key the volunteers trust, ed25519:<base64> as jdistcc-hub key prints it"
                    + " (jdistcc.key=).")
    String key;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "Another kernel argument for every machine.")
    List<String> args = new ArrayList<>();

    @Option(names = "--mac-arg", paramLabel = "MAC=ARG",
            description = "A kernel argument for one machine only, e.g. 52:54:00:12:34:56=jdistcc.jobs=2.")
    List<String> macArgs = new ArrayList<>();

    @Option(names = "--http-port", defaultValue = "0", paramLabel = "PORT",
            description = "HTTP port on IFACE's address (default: any free port).")
    int httpPort;

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
        NetbootServer server;
        try {
            server = NetbootServer.start(settings(), new PrintingListener(out, verbose));
        } catch (NetbootException e) {
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

    private static void stop(NetbootServer server, PrintWriter out) {
        String what = server.pxe().map(p -> "dnsmasq (pid " + p.dnsmasqPid() + ") stopped, removed " + p.workDir())
                .orElse("HTTP stopped");
        server.close();
        out.println("jdistcc-netboot: " + what);
        out.flush();
    }

    NetbootServer.Settings settings() throws NetbootException {
        BootArtifacts artifacts = artifacts();
        BootConfig common = new BootConfig(hubUrl, key, args);
        Map<MacAddress, List<String>> extra = new LinkedHashMap<>();
        for (String spec : macArgs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("--mac-arg '" + spec + "' must be MAC=ARG, e.g. 52:54:00:12:34:56=jdistcc.jobs=2");
            }
            extra.computeIfAbsent(MacAddress.parse(spec.substring(0, eq)), m -> new ArrayList<>()).add(spec.substring(eq + 1));
        }
        Map<MacAddress, BootConfig> table = new LinkedHashMap<>();
        extra.forEach((mac, more) -> table.put(mac, common.withExtraArgs(more)));
        BootConfigs configs = BootConfigs.perMac(table, common);
        // Refuse a bad hub URL, key or argument now rather than on a booting machine's screen.
        KernelCmdline.compose(artifacts, common);
        for (BootConfig c : table.values()) {
            KernelCmdline.compose(artifacts, c);
        }
        HostInterface nif = HostInterface.lookup(iface);
        Optional<DhcpMode> mode = dhcp.none ? Optional.empty()
                : Optional.of(dhcp.range != null ? DhcpMode.parseRange(dhcp.range, nif, lease) : new DhcpMode.Proxy());
        return new NetbootServer.Settings(nif, httpPort, mode, artifacts, configs, ipxeDir,
                FirmwarePin.debian(ipxePins), dnsmasq, Path.of(System.getProperty("java.io.tmpdir")));
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
