package dev.jdistcc.hub.resident;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The volunteers on this machine ({@link SameMachine}) as one pool of {@code size} slots on top of their own:
 * our jobs on all of them together hold at most that many. A job counts from the moment it picks such a host
 * (while it takes the host's slot lock, outside the scheduler's lock) until its slot is released. Not
 * thread-safe: the scheduler calls it under its lock.
 */
final class SharedSlots {
    private final int size;
    private final Set<String> keys = new HashSet<>();
    /** Jobs that picked a host on this machine and are taking its slot lock: when each should end. */
    private final List<Long> picks = new ArrayList<>();

    /** @param size the pool's slots (0: no pool, no limit) */
    SharedSlots(int size) {
        this.size = size;
    }

    /** Hosts (keys) found to run on this machine. */
    void add(Collection<String> onThisMachine) {
        keys.addAll(onThisMachine);
    }

    boolean contains(String key) {
        return keys.contains(key);
    }

    /** A job picked host {@code key}, expected to end at {@code end}: the token to {@link #unpick}, null if not pooled. */
    Long pick(String key, long end) {
        if (size == 0 || !keys.contains(key)) {
            return null;
        }
        Long token = end;
        picks.add(token);
        return token;
    }

    /** The picking job holds its slot now (counted among the host's jobs), or did not get one. */
    void unpick(Long token) {
        if (token != null) {
            picks.remove(token);
        }
    }

    /**
     * The pool for a planning round: each slot free when enough of our jobs on these hosts are expected to
     * have ended; null when there is no limit or no such host.
     */
    Planner.Pool pool(HostBook hosts, long now) {
        if (size == 0 || keys.isEmpty()) {
            return null;
        }
        List<Long> ends = hosts.ends(keys, now);
        ends.addAll(picks);
        ends.sort(null);
        int excess = Math.max(0, ends.size() - size);
        long[] freeAt = new long[size];
        for (int i = 0; i < size; i++) {
            freeAt[i] = i + excess < ends.size() ? Math.max(now, ends.get(i + excess)) : now;
        }
        return new Planner.Pool(freeAt);
    }
}
