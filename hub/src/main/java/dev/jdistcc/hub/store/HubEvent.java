package dev.jdistcc.hub.store;

import dev.jdistcc.toolchain.ToolchainDigest;

import java.time.Duration;

/** What the hub's background work reports; the front end decides what to print. */
public sealed interface HubEvent {
    record Packaged(String compiler, ToolchainDigest digest, long archiveBytes, Duration took) implements HubEvent {
    }

    record PackagingFailed(String compiler, String reason) implements HubEvent {
    }

    record ManifestPublished(int toolchains) implements HubEvent {
    }

    record VolunteerJoined(String id, String address, int port) implements HubEvent {
    }

    record VolunteerDropped(String id, String why) implements HubEvent {
    }

    /** The event as one line for a console, the same wherever a hub runs (jdistcc-hub, jdistcc-netboot). */
    default String describe() {
        return switch (this) {
            case Packaged p -> "packaged " + p.compiler() + " as " + p.digest().shortForm() + " ("
                    + p.archiveBytes() / 1_000_000 + " MB, " + p.took().toMillis() + " ms)";
            case PackagingFailed f -> "cannot package " + f.compiler() + ": " + f.reason();
            case ManifestPublished m -> "manifest published with " + m.toolchains() + " toolchain(s)";
            case VolunteerJoined j -> "volunteer " + j.id() + " joined from " + j.address() + ":" + j.port();
            case VolunteerDropped d -> "volunteer " + d.id() + " dropped: " + d.why();
        };
    }
}
