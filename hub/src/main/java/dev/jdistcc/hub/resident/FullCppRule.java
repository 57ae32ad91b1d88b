package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a job's full cpp pays (instead of the partial one, which leaves macro expansion to the volunteer):
 * while the volunteers limit the build (every volunteer slot of the latest host list is held by our jobs, or
 * jobs wait for one) and this machine has CPU idle. Then the expansion costs the build nothing here and
 * saves the volunteers time. When this machine is busy, or volunteers' slots are free, the partial cpp stays:
 * the client is what limits a large build. Not thread-safe: the scheduler calls it under its lock, except
 * {@link #machineIdle}, which it calls outside.
 */
final class FullCppRule {

    /** How many idle CPUs of this machine make a full cpp free. */
    static final double IDLE_CPUS = 0.5;

    private final DoubleSupplier idleCpus;
    /** The volunteers' slots in the latest job's host list. */
    private int remoteSlots;

    /** @param idleCpus how many of the CPUs this process may use were idle lately ({@link IdleCpus}) */
    FullCppRule(DoubleSupplier idleCpus) {
        this.idleCpus = idleCpus;
    }

    /** The host list a job is placed among (localhost entries are not volunteers). */
    void hostList(List<HostSpec> candidates) {
        int slots = 0;
        for (HostSpec h : candidates) {
            slots += h instanceof HostSpec.Local ? 0 : h.slots();
        }
        remoteSlots = slots;
    }

    /** Whether the volunteers limit the build now: jobs are waiting, or ours hold every volunteer slot. */
    boolean volunteersFull(int waiting, int running) {
        return waiting > 0 || (remoteSlots > 0 && running >= remoteSlots);
    }

    /** Whether this machine had at least {@link #IDLE_CPUS} idle lately (may read /proc: call unlocked). */
    boolean machineIdle() {
        return idleCpus.getAsDouble() >= IDLE_CPUS;
    }
}
