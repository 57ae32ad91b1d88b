package dev.jdistcc.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Takes slots, waiting like distcc's dcc_lock_one: try every slot breadth-first, and when all are busy
 * pause (DISTCC_PAUSE_TIME_MSEC) and scan again, showing "Blocked" in the monitor meanwhile.
 */
final class Scheduler {
    private final SlotLocks locks;
    private final Duration pause;

    Scheduler(SlotLocks locks, Duration pause) {
        this.locks = locks;
        this.pause = pause;
    }

    SlotLocks.Lease acquire(List<? extends HostSpec> hosts, StateFile state) throws IOException, InterruptedException {
        while (true) {
            SlotLocks.Lease l = locks.tryAny(hosts);
            if (l != null) {
                return l;
            }
            state.phase(StateFile.Phase.BLOCKED);
            Thread.sleep(pause);
        }
    }

    /** A slot of the local pool of the given size (localslots or localslots_cpp): cpu_localhost_N. */
    SlotLocks.Lease acquireLocal(int poolSize, StateFile state) throws IOException, InterruptedException {
        return acquire(List.of(new HostSpec.Local("localhost", poolSize)), state);
    }
}
