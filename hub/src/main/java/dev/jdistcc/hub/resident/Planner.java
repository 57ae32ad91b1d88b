package dev.jdistcc.hub.resident;

import java.util.List;
import java.util.Map;

/**
 * The placement decision as a pure function, so it can be tested without locks or clocks. Every waiting job
 * is given, in arrival order, the host where it is expected to finish first: a host with a free slot now, or
 * a busy one whose next slot frees early enough that waiting for it still wins. Jobs ahead in the queue take
 * their picks first (their slots count as reserved), so a fast host's slots are spoken for before a later job
 * looks at them; that is what sends the queue's tail to slower hosts during the build, and keeps them idle
 * near its end when a fast slot will be free sooner than a slow host would finish.
 */
final class Planner {

    /** One host in a planning round. {@code freeAt} is mutated as reservations are made. */
    static final class HostPlan {
        final String key;
        final long[] freeAt;
        final Estimate estimate;
        final double load;
        final int order;

        /**
         * @param freeAt   per slot, when it is free (≤ now: free now; {@link Long#MAX_VALUE}: unavailable)
         * @param estimate how long a job of a given size takes on this host
         * @param load     the share of its slots in use, to prefer idle hosts among equals
         * @param order    its place in the host list, the last tie-break (distcc's order)
         */
        HostPlan(String key, long[] freeAt, Estimate estimate, double load, int order) {
            this.key = key;
            this.freeAt = freeAt.clone();
            this.estimate = estimate;
            this.load = load;
            this.order = order;
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

    /** A waiting job: its input size and the keys of the hosts it may use. */
    record Waiting(long bytes, List<String> candidates) {
    }

    /** Relative difference under which two expected finish times count as equal. */
    static final double TIE = 0.02;

    private Planner() {
    }

    /**
     * The host the last job of {@code queue} should take now, or null when it should wait (its best option is
     * a slot that is still busy, or there is none).
     */
    static String choose(long now, List<Waiting> queue, Map<String, HostPlan> hosts) {
        for (int i = 0; i < queue.size(); i++) {
            Waiting w = queue.get(i);
            HostPlan best = null;
            long bestEnd = Long.MAX_VALUE;
            for (String k : w.candidates()) {
                HostPlan h = hosts.get(k);
                if (h == null || h.freeAt.length == 0) {
                    continue;
                }
                long start = h.freeAt[h.earliestSlot()];
                if (start == Long.MAX_VALUE) {
                    continue;
                }
                long end = Math.max(start, now) + h.estimate.nanos(w.bytes());
                if (best == null || better(now, end, h, bestEnd, best)) {
                    best = h;
                    bestEnd = end;
                }
            }
            if (i == queue.size() - 1) {
                return best != null && best.freeAt[best.earliestSlot()] <= now ? best.key : null;
            }
            if (best != null) {
                best.freeAt[best.earliestSlot()] = bestEnd;
            }
        }
        return null;
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
