package dev.jdistcc.hub.resident;

import java.time.Duration;

/**
 * How the resident scheduler ({@link ResidentScheduler}) behaves; {@link #defaults} for this machine.
 *
 * @param stallMin           the shortest stall timeout (a reply may always take this long)
 * @param stallFactor        how many times the expected duration a reply may take
 * @param implicitLocalSlots localhost slots offered as a host even when the host list names no localhost
 *                           (0: only a listed localhost counts), and only while this machine has a core
 *                           to spare (see {@link ResidentScheduler#spareCores})
 * @param cooldown           how long a host is avoided after a failed attempt (doubled per failure in a row)
 * @param poll               how often a waiting job looks again for slots freed by other processes
 * @param toolchainFetch     how long a volunteer lacking a job's toolchain is assumed to need to fetch it
 * @param longPoleRoom       whether the host of the largest long pole in flight keeps one of its slots
 *                           free while the pole compiles ({@link HostBook#plan})
 * @param sameMachineJobs    how many jobs the volunteers on this machine ({@link SameMachine}) may run
 *                           together, whatever slots they advertise (0: no limit)
 */
public record SchedulerConfig(Duration stallMin, double stallFactor, int implicitLocalSlots, Duration cooldown,
                              Duration poll, Duration toolchainFetch, boolean longPoleRoom, int sameMachineJobs) {
    public SchedulerConfig {
        if (sameMachineJobs < 0) {
            throw new IllegalArgumentException("sameMachineJobs must be 0 (no limit) or more: " + sameMachineJobs);
        }
    }

    /** No limit on the volunteers on this machine ({@link #withSameMachineJobs} sets one). */
    public SchedulerConfig(Duration stallMin, double stallFactor, int implicitLocalSlots, Duration cooldown, Duration poll) {
        this(stallMin, stallFactor, implicitLocalSlots, cooldown, poll, DEFAULT_TOOLCHAIN_FETCH, true, 0);
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(Duration.ofSeconds(20), 8, autoLocalSlots(Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(10), Duration.ofMillis(200)).withSameMachineJobs(autoSameMachineJobs());
    }

    /** The default limit on the volunteers on this machine: one job more than its online CPUs. */
    public static int autoSameMachineJobs() {
        return SameMachine.autoJobs(SameMachine.onlineCpus());
    }

    /**
     * What a volunteer without the job's toolchain is assumed to need first: fetching, verifying and
     * unpacking a gcc bundle on demand added 6.7 s to the first job on loopback (docs/benchmarks.md).
     */
    public static final Duration DEFAULT_TOOLCHAIN_FETCH = Duration.ofSeconds(8);

    /**
     * The local slots offered by default: all cores but two, which stay for the preprocessors, the
     * linker and make (the client's own work, which is what limits a distributed build); none on a
     * machine with two cores or fewer.
     */
    public static int autoLocalSlots(int cores) {
        return Math.max(0, cores - 2);
    }

    public SchedulerConfig withLocalSlots(int slots) {
        return new SchedulerConfig(stallMin, stallFactor, slots, cooldown, poll, toolchainFetch, longPoleRoom, sameMachineJobs);
    }

    public SchedulerConfig withLongPoleRoom(boolean room) {
        return new SchedulerConfig(stallMin, stallFactor, implicitLocalSlots, cooldown, poll, toolchainFetch, room, sameMachineJobs);
    }

    public SchedulerConfig withSameMachineJobs(int jobs) {
        return new SchedulerConfig(stallMin, stallFactor, implicitLocalSlots, cooldown, poll, toolchainFetch, longPoleRoom, jobs);
    }
}
