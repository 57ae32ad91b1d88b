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
}
