package dev.jdistcc.netboot.pxe;

import dev.jdistcc.netboot.ArtifactException;
import dev.jdistcc.netboot.NetbootException;
import dev.jdistcc.netboot.NetbootListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PXE side of netboot on one interface: a private work directory with the TFTP root and the
 * generated dnsmasq config, and dnsmasq answering DHCP (proxy or full) and TFTP. Closing stops dnsmasq
 * by PID and deletes the work directory.
 */
public final class PxeResponder implements AutoCloseable {

    /**
     * @param baseUrl     where the netboot HTTP handler is reachable from the interface's subnet
     * @param firmwareDir where the pinned iPXE binaries are read from (Debian: {@code /usr/lib/ipxe})
     * @param dnsmasq     the dnsmasq binary
     * @param workParent  where the private work directory is created (the system temp dir by default)
     */
    public record Settings(HostInterface nif, DhcpMode mode, String baseUrl, Path firmwareDir,
                           List<FirmwarePin> pins, Path dnsmasq, Path workParent, Duration startTimeout) {

        public Settings(HostInterface nif, DhcpMode mode, String baseUrl, List<FirmwarePin> pins) {
            this(nif, mode, baseUrl, FirmwarePin.DEBIAN_DIR, pins, Dnsmasq.defaultBinary(),
                    Path.of(System.getProperty("java.io.tmpdir")), Duration.ofSeconds(15));
        }
    }

    private final Settings settings;
    private final Path workDir;
    private final Path configFile;
    private final Dnsmasq dnsmasq;

    private PxeResponder(Settings settings, Path workDir, Path configFile, Dnsmasq dnsmasq) {
        this.settings = settings;
        this.workDir = workDir;
        this.configFile = configFile;
        this.dnsmasq = dnsmasq;
    }

    public static PxeResponder start(Settings s, NetbootListener listener) throws NetbootException {
        PortProbe.check(s.nif());
        Path work;
        try {
            work = Files.createTempDirectory(s.workParent(), "jdistcc-netboot-");
            // dnsmasq reads the TFTP root after dropping root to "nobody".
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new ArtifactException("cannot create a work directory in " + s.workParent() + ": " + e.getMessage(), e);
        }
        try {
            Path tftp = TftpRoot.write(work.resolve("tftp"), s.firmwareDir(), s.pins(), s.baseUrl());
            DnsmasqConfig cfg = new DnsmasqConfig(s.nif(), s.mode(), s.baseUrl() + "/boot.ipxe", tftp,
                    work.resolve("dnsmasq.leases"));
            Path conf = work.resolve("dnsmasq.conf");
            Files.writeString(conf, cfg.file());
            Dnsmasq d = Dnsmasq.start(cfg.arguments(s.dnsmasq(), conf), s.nif().name(), listener, s.startTimeout());
            return new PxeResponder(s, work, conf, d);
        } catch (IOException e) {
            delete(work);
            throw new ArtifactException("cannot write the dnsmasq config in " + work + ": " + e.getMessage(), e);
        } catch (NetbootException | RuntimeException e) {
            delete(work);
            throw e;
        }
    }

    public long dnsmasqPid() {
        return dnsmasq.pid();
    }

    public boolean isAlive() {
        return dnsmasq.isAlive();
    }

    public Path workDir() {
        return workDir;
    }

    public Path configFile() {
        return configFile;
    }

    public Path tftpRoot() {
        return workDir.resolve("tftp");
    }

    public Settings settings() {
        return settings;
    }

    public List<String> recentLog() {
        return dnsmasq.recentLog();
    }

    @Override
    public void close() {
        try {
            dnsmasq.close();
        } finally {
            delete(workDir);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover temp directory is harmless and named jdistcc-netboot-*.
        }
    }
}
