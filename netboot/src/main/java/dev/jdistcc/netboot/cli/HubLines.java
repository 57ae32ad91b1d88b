package dev.jdistcc.netboot.cli;

import dev.jdistcc.hub.store.HubEvent;

import java.io.PrintWriter;

/** One line per hub event (packaging, volunteers joining and dropping out), as {@code jdistcc-hub serve} says them. */
final class HubLines {

    private HubLines() {}

    static void print(PrintWriter out, HubEvent e) {
        String line = e.describe();
        synchronized (out) {
            out.println("hub   " + line);
            out.flush();
        }
    }
}
