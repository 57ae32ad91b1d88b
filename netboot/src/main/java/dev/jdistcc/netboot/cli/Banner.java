package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.hub.NetbootHub;
import dev.jdistcc.netboot.pxe.FirmwarePin;

import java.io.PrintWriter;
import java.util.stream.Stream;

/** The start-up summary: what is served, where, and the status page. */
final class Banner {

    private Banner() {}

    static void print(PrintWriter out, NetbootHub server) {
        var s = server.service();
        BootArtifacts a = s.artifacts();
        out.println("jdistcc-netboot: serving volunteer boots, toolchains and volunteer registration");
        out.printf("  %-9s %s (state %s)%n", "hub", server.hub().url(), server.settings().hub().stateDir());
        out.printf("  %-9s %s%n", "trust", server.hub().store().publicKey());
        out.printf("  %-9s %s (the live volunteers, for DISTCC_HOSTS)%n", "hosts", server.settings().hub().hostsFile());
        Stream.concat(Stream.of(a.kernel()), a.initrds().stream()).forEach(f -> file(out, f));
        String cmdline;
        try {
            cmdline = s.cmdline(new MacAddress(0));
        } catch (ConfigException e) {
            cmdline = "invalid: " + e.getMessage();
        }
        out.printf("  %-9s %s%n", "cmdline", cmdline);
        out.printf("  %-9s %s%n", "iPXE", server.entryUrl());
        server.pxe().ifPresentOrElse(p -> {
            out.printf("  %-9s %s on %s%n", "DHCP", NetbootHub.describe(p.settings().mode()), p.settings().nif());
            out.printf("  %-9s %s (BIOS), %s (UEFI) from %s%n", "TFTP", FirmwarePin.BIOS_FILE, FirmwarePin.UEFI_FILE,
                    p.tftpRoot());
            out.printf("  %-9s pid %d, config %s%n", "dnsmasq", p.dnsmasqPid(), p.configFile());
        }, () -> out.printf("  %-9s none (HTTP only)%n", "DHCP"));
        out.printf("  %-9s %s%n", "status", server.statusUrl());
        out.println("Stop with Ctrl-C (SIGINT) or SIGTERM.");
        out.flush();
    }

    private static void file(PrintWriter out, BootFile f) {
        out.printf("  %-9s %s  %,d bytes  sha256 %s%n", f.name().equals("vmlinuz") ? "kernel" : "initrd", f.path(),
                f.size(), f.sha256());
    }
}
