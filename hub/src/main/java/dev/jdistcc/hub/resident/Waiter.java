package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A job waiting in the scheduler's queue for a slot; its mutable fields are under the scheduler's lock. */
final class Waiter {
    final long bytes;
    final List<HostSpec> candidates;
    final String toolchain;
    final long seq;
    /** Hosts whose free slots other processes took since this job last planned. */
    final Set<String> blocked = new HashSet<>();
    /** How many later jobs took a slot before this one. */
    int overtaken;

    Waiter(long bytes, List<HostSpec> candidates, String toolchain, long seq) {
        this.bytes = bytes;
        this.candidates = candidates;
        this.toolchain = toolchain;
        this.seq = seq;
    }

    Planner.Rank rank(long typical) {
        return new Planner.Rank(bytes, overtaken, seq, typical);
    }
}
