package dev.jdistcc.hub.resident;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The placement decision as a pure function, so it can be tested without locks or clocks. Waiting jobs are
 * placed in {@link Rank} order (a build's long poles first, the other jobs shortest first); the jobs ahead of
 * a job take their picks first (their slots count as reserved).
 *
 * <p>While the build keeps every job slot busy ({@code saturated}: make refills its -j as jobs finish), the
 * placement is work-conserving: a job takes the free slot where it is expected to finish first, even on a
 * slower host, since waiting for a fast slot would also delay the jobs that keep arriving; only a host more
 * than {@link #SLACK} times worse than waiting for a busy one is skipped. In the build's tail (fewer jobs than
 * before), a job takes the slot where it is expected to finish first counting the wait for busy slots: a
 * slow host is left idle when a fast slot will be free sooner than the slow host would finish. A host known
 * to lack the toolchain a job names finishes that job later by the time a fetch takes (toolchain locality).
 */
final class Planner {

    /**
     * Slots shared by several hosts, on top of their own: the volunteers on this machine together run no more
     * jobs than the pool has slots ({@link SameMachine}). {@code freeAt} is mutated as reservations are made.
     */
    static final class Pool {
        final long[] freeAt;

        /** @param freeAt per pool slot, when it is free (≤ now: free now); at least one slot */
        Pool(long[] freeAt) {
            if (freeAt.length == 0) {
                throw new IllegalArgumentException("a pool needs at least one slot");
            }
            this.freeAt = freeAt.clone();
        }

        int earliestSlot() {
            int best = 0;
            for (int i = 1; i < freeAt.length; i++) {
                if (freeAt[i] < freeAt[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    /** One host in a planning round. {@code freeAt} is mutated as reservations are made. */
    static final class HostPlan {
        final String key;
        final long[] freeAt;
        final Estimate estimate;
        final double load;
        final int order;
        /** The shared slots this host's jobs also take (null: none). */
        final Pool pool;

        /**
         * @param freeAt   per slot, when it is free (≤ now: free now; {@link Long#MAX_VALUE}: unavailable)
         * @param estimate how long a job of a given size takes on this host
         * @param load     the share of its slots in use, to prefer idle hosts among equals
         * @param order    its place in the host list, the last tie-break (distcc's order)
         */
        HostPlan(String key, long[] freeAt, Estimate estimate, double load, int order) {
            this(key, freeAt, estimate, load, order, null);
        }

        private HostPlan(String key, long[] freeAt, Estimate estimate, double load, int order, Pool pool) {
            this.key = key;
            this.freeAt = freeAt.clone();
            this.estimate = estimate;
            this.load = load;
            this.order = order;
            this.pool = pool;
        }

        /**
         * This host, its jobs also taking a slot of {@code p}, and each new job expected to share the host with
         * the {@code running} jobs it already has: a volunteer on this machine is a VM or a process with a few
         * of its cores at most, so of two such volunteers the one with fewer jobs finishes a new one first.
         */
        HostPlan inPool(Pool p, int running) {
            Estimate shared = bytes -> estimate.nanos(bytes) * (1 + running);
            return new HostPlan(key, freeAt, shared, load, order, p);
        }

        /** When a job could start here: its earliest own slot, and a pool slot if it is in a pool. */
        long start() {
            long s = freeAt[earliestSlot()];
            return pool == null ? s : Math.max(s, pool.freeAt[pool.earliestSlot()]);
        }

        /** A job ahead takes the earliest slot (and pool slot) until {@code end}. */
        void reserve(long end) {
            freeAt[earliestSlot()] = end;
            if (pool != null) {
                pool.freeAt[pool.earliestSlot()] = end;
            }
        }

        int earliestSlot() {
            int best = -1;
            for (int i = 0; i < freeAt.length; i++) {
                if (best < 0 || freeAt[i] < freeAt[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    @FunctionalInterface
    interface Estimate {
        long nanos(long bytes);
    }

    /**
     * A waiting job: its input size, the keys of the hosts it may use, and those of them known to lack the
     * toolchain it names, which would first fetch it ({@code fetchNanos} more).
     */
    record Waiting(long bytes, List<String> candidates, Set<String> lacking, long fetchNanos) {
        Waiting(long bytes, List<String> candidates) {
            this(bytes, candidates, Set.of(), 0);
        }
    }

    /**
     * The order in which waiting jobs take slots. A build's long poles ({@link #longPole}: inputs at least
     * {@link #LONG_POLE} times the typical one) go first, the largest first: they end up as the build's tail
     * when they start late, so they start as soon as make lets them. The other jobs go shortest first: each
     * waiting job holds one of make's -j tokens, and a short job that is done gives make its token back for the
     * next job sooner, so make reaches its later long poles sooner (under largest-first, small jobs waited up to
     * a second each in lua's build and held make back). Ties go in arrival order. A job overtaken
     * {@link #MAX_OVERTAKEN} times goes ahead of every job that is not, in arrival order, so none is starved.
     *
     * @param bytes     the job's input size (-1: unknown, ranked after the known sizes)
     * @param overtaken how many later jobs took a slot while this one waited
     * @param seq       its arrival number
     * @param typical   the typical input size of recent jobs (0: not known yet, when every job ranks as a long
     *                  pole: largest first)
     */
    record Rank(long bytes, int overtaken, long seq, long typical) implements Comparable<Rank> {
        Rank(long bytes, int overtaken, long seq) {
            this(bytes, overtaken, seq, 0);
        }

        @Override
        public int compareTo(Rank o) {
            boolean aged = overtaken >= MAX_OVERTAKEN;
            boolean oAged = o.overtaken >= MAX_OVERTAKEN;
            if (aged != oAged) {
                return aged ? -1 : 1;
            }
            if (!aged) {
                boolean pole = longPole(bytes, typical);
                if (pole != longPole(o.bytes, o.typical)) {
                    return pole ? -1 : 1;
                }
                if (bytes != o.bytes) {
                    if (bytes < 0 || o.bytes < 0) {
                        return bytes < 0 ? 1 : -1;
                    }
                    return pole ? Long.compare(o.bytes, bytes) : Long.compare(bytes, o.bytes);
                }
            }
            return Long.compare(seq, o.seq);
        }
    }

    /** How many times the typical input a job's input must be for the job to count as a long pole. */
    static final int LONG_POLE = 2;

    /**
     * Whether a job of {@code bytes} input is one of its build's long poles, given the {@code typical} input
     * of recent jobs (0: not known yet, when every job of known size counts as one).
     */
    static boolean longPole(long bytes, long typical) {
        return bytes >= 0 && (typical <= 0 || bytes >= LONG_POLE * typical);
    }

    /** How many later jobs may take a slot before a waiting job in front of them. */
    static final int MAX_OVERTAKEN = 4;

    /** Relative difference under which two expected finish times count as equal. */
    static final double TIE = 0.02;

    private Planner() {
    }

    /** In a saturated build, how much later than the best (waiting) option a free slot may finish. */
    static final double SLACK = 3;

    /**
     * The host the last job of {@code queue} should take now, or null when it should wait (its best option is
     * a slot that is still busy, or there is none).
     */
    static String choose(long now, List<Waiting> queue, Map<String, HostPlan> hosts, boolean saturated) {
        for (int i = 0; i < queue.size(); i++) {
            Waiting w = queue.get(i);
            HostPlan any = best(now, w, hosts, false);
            HostPlan free = best(now, w, hosts, true);
            HostPlan pick = any;
            if (saturated && free != null && free != any
                    && finish(now, w, free) - now <= SLACK * (finish(now, w, any) - now)) {
                pick = free;
            }
            if (i == queue.size() - 1) {
                return pick != null && pick.start() <= now ? pick.key : null;
            }
            if (pick != null) {
                pick.reserve(finish(now, w, pick));
            }
        }
        return null;
    }

    /** The candidate where {@code w} finishes first (only among hosts with a slot free now, if asked); null if none. */
    private static HostPlan best(long now, Waiting w, Map<String, HostPlan> hosts, boolean freeNow) {
        HostPlan best = null;
        long bestEnd = Long.MAX_VALUE;
        for (String k : w.candidates()) {
            HostPlan h = hosts.get(k);
            if (h == null || h.freeAt.length == 0) {
                continue;
            }
            long start = h.start();
            if (start == Long.MAX_VALUE || (freeNow && start > now)) {
                continue;
            }
            long end = finish(now, w, h);
            if (best == null || better(now, end, h, bestEnd, best)) {
                best = h;
                bestEnd = end;
            }
        }
        return best;
    }

    private static long finish(long now, Waiting w, HostPlan h) {
        long fetch = w.lacking().contains(h.key) ? w.fetchNanos() : 0;
        return Math.max(h.start(), now) + fetch + h.estimate.nanos(w.bytes());
    }

    /** Earlier expected finish wins; within {@link #TIE} of each other, the less loaded host, then list order. */
    private static boolean better(long now, long end, HostPlan h, long bestEnd, HostPlan best) {
        long d = end - now;
        long bestD = bestEnd - now;
        if (Math.abs(d - bestD) > TIE * Math.max(d, bestD)) {
            return d < bestD;
        }
        if (h.load != best.load) {
            return h.load < best.load;
        }
        return h.order < best.order;
    }
}
