package dev.jdistcc.netboot.cli;

import dev.jdistcc.hub.store.HubEvent;

import java.io.PrintWriter;

/** One line per hub event (packaging, volunteers joining and dropping out), as {@code jdistcc-hub serve} says them. */
final class HubLines {

    private HubLines() {}

    static void print(PrintWriter out, HubEvent e) {
        String line = switch (e) {
            case HubEvent.Packaged p -> "packaged " + p.compiler() + " as " + p.digest().shortForm() + " ("
                    + p.archiveBytes() / 1_000_000 + " MB, " + p.took().toMillis() + " ms)";
            case HubEvent.PackagingFailed f -> "cannot package " + f.compiler() + ": " + f.reason();
            case HubEvent.ManifestPublished m -> "manifest published with " + m.toolchains() + " toolchain(s)";
            case HubEvent.VolunteerJoined j -> "volunteer " + j.id() + " joined from " + j.address() + ":" + j.port();
            case HubEvent.VolunteerDropped d -> "volunteer " + d.id() + " dropped: " + d.why();
            default -> e.toString();
        };
        synchronized (out) {
            out.println("hub   " + line);
            out.flush();
        }
    }
}
