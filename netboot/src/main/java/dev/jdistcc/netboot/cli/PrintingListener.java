package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootListener;

import java.io.PrintWriter;

/** Prints boots as they happen; dnsmasq lines only when they are about PXE, TFTP or errors (all with -v). */
final class PrintingListener implements NetbootListener {

    private final PrintWriter out;
    private final boolean verbose;

    PrintingListener(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void bootScriptServed(MacAddress mac, String remoteAddress) {
        line("boot  " + mac + " (" + remoteAddress + "): sent its iPXE script");
    }

    @Override
    public void fileServed(MacAddress mac, String fileName, long bytes, boolean complete) {
        line("file  " + (mac == null ? "-" : mac.toString()) + ": " + fileName + " " + bytes + " bytes"
                + (complete ? "" : " (client stopped early)"));
    }

    @Override
    public void dhcpLog(String line) {
        if (verbose || line.contains("PXE(") || line.contains("DHCPACK") || line.contains("sent /")
                || line.contains("error") || line.contains("failed")) {
            line("dhcp  " + line);
        }
    }

    private synchronized void line(String s) {
        out.println(s);
        out.flush();
    }
}
