package dev.jdistcc.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Where a distributable job is compiled, and what is learnt from it: the hook a resident process uses to
 * place every job of the machine better than distcc's lock-file order. Whatever it picks, it takes distcc's
 * fcntl slot lock for it ({@link SlotLocks}), so stock clients sharing {@code $DISTCC_DIR} still see the slot
 * in use. The default, {@link #lockOrder}, is distcc 3.4's: the first free slot, breadth-first in list order.
 */
public interface Placement {

    /**
     * A job to place.
     *
     * @param input      the source file, as given
     * @param inputBytes the preprocessed size, or -1 when cpp has not run yet ({@link #preprocessFirst()})
     * @param fallback   whether the job may be compiled here when no host will take it ({@code DISTCC_FALLBACK})
     * @param toolchain  the digest of the packaged toolchain the job names to jdistcc peers ({@code ,lz4}
     *                   hosts), or null: lets a placement prefer volunteers that already hold it
     * @param source     the source's absolute path (what {@link #announce} was given), or null
     */
    record Job(String input, long inputBytes, boolean fallback, String toolchain, String source) {
        public Job(String input, long inputBytes, boolean fallback, String toolchain) {
            this(input, inputBytes, fallback, toolchain, null);
        }
    }

    /** A job announced before its cpp ran ({@link #announce}); closed once it has asked for a slot or given up. */
    interface Pending extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Tells the placement that the job of {@code source} (an absolute path) is running its cpp and will then
     * ask for a slot, so a placement that remembers what that source cost before can keep a slot for it.
     */
    default Pending announce(String source) {
        return () -> { };
    }

    /**
     * Whether a job about to run its cpp should run the full one even where the partial one would pay
     * ({@code JDISTCC_CPP} auto): jobs are waiting for the volunteers' slots while this machine's CPUs have
     * time to spare, so the volunteers, not this machine, limit the build, and the macro expansion a partial
     * cpp would move to them is better done here. The default (a per-job client, which sees no other job): no.
     */
    default boolean fullCppPays() {
        return false;
    }

    /** How one attempt ended, for the observer. */
    enum Kind {
        /** the host answered with a compiler result (success or a compile error) */
        COMPILED,
        /** the attempt failed: connection, protocol, stall or I/O error */
        FAILED,
        /** compiled here, because the placement chose localhost */
        LOCAL
    }

    /**
     * @param nanos wall time from the start of the attempt (connect) to the reply or the failure; for LOCAL
     *              the local run; -1 when not known
     */
    record Outcome(HostSpec host, long inputBytes, long nanos, Kind kind) {
    }

    /** Runs cpp before placing, so {@link Job#inputBytes()} is known (distcc overlaps cpp with connecting). */
    default boolean preprocessFirst() {
        return false;
    }

    /**
     * Takes one slot among {@code usable} (the host list's remote hosts and localhost entries not in backoff,
     * in list order), waiting while none suits. A lease on a {@link HostSpec.Local} means: compile here.
     */
    SlotLocks.Lease acquire(Job job, List<HostSpec> usable, SlotLocks locks, StateFile state)
            throws IOException, InterruptedException;

    /** How long {@code host} may stay silent once it has the whole input before the attempt counts as stalled. */
    default Duration replyTimeout(HostSpec.Remote host, long inputBytes, Duration ioTimeout) {
        return ioTimeout;
    }

    /** Called once for every acquired slot, before it is released. */
    default void finished(Outcome outcome) {
    }

    /** distcc 3.4's order, pausing {@code pause} between scans when every slot is taken. */
    static Placement lockOrder(java.time.Duration pause) {
        return new LockOrder(pause);
    }

    /** distcc's dcc_lock_one through {@link Scheduler}. */
    final class LockOrder implements Placement {
        private final Duration pause;

        LockOrder(Duration pause) {
            this.pause = pause;
        }

        @Override
        public SlotLocks.Lease acquire(Job job, List<HostSpec> usable, SlotLocks locks, StateFile state)
                throws IOException, InterruptedException {
            return new Scheduler(locks, pause).acquire(usable, state);
        }
    }
}
