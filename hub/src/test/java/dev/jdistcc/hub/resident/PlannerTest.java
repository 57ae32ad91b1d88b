package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement decision alone: hosts with slots free at given times and a speed in bytes per millisecond. */
class PlannerTest {
    static final long NOW = 1_000_000_000L;
    static final long MS = 1_000_000L;

    /** A host whose slots free up at these offsets from now (0: free now), doing {@code bytesPerMs}. */
    static Planner.HostPlan host(String key, int order, double bytesPerMs, long... freeInMs) {
        long[] at = new long[freeInMs.length];
        int busy = 0;
        for (int i = 0; i < at.length; i++) {
            at[i] = NOW + freeInMs[i] * MS;
            busy += freeInMs[i] > 0 ? 1 : 0;
        }
        return new Planner.HostPlan(key, at, bytes -> (long) (bytes / bytesPerMs * MS), (double) busy / at.length, order);
    }

    static Map<String, Planner.HostPlan> hosts(Planner.HostPlan... hs) {
        Map<String, Planner.HostPlan> m = new LinkedHashMap<>();
        for (Planner.HostPlan h : hs) {
            m.put(h.key, h);
        }
        return m;
    }

    static List<Planner.Waiting> queue(int jobs, long bytes, String... candidates) {
        List<Planner.Waiting> q = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            q.add(new Planner.Waiting(bytes, List.of(candidates)));
        }
        return q;
    }

    @Test
    void fastHostIsPreferredOverASlowerOneListedFirst() {
        var hs = hosts(host("slow", 0, 100, 0), host("fast", 1, 1000, 0));
        assertEquals("fast", Planner.choose(NOW, queue(1, 100_000, "slow", "fast"), hs, true));
    }

    @Test
    void amongEquallyFastHostsTheIdlerOneIsPreferred() {
        var hs = hosts(host("busy", 0, 1000, 500, 0), host("idle", 1, 1000, 0, 0));
        assertEquals("idle", Planner.choose(NOW, queue(1, 100_000, "busy", "idle"), hs, true));
    }

    @Test
    void aHostThatMustFirstFetchTheJobsToolchainFinishesLater() {
        var hs = hosts(host("lacks", 0, 1000, 0), host("holds", 1, 1000, 0));
        var job = List.of(new Planner.Waiting(100_000, List.of("lacks", "holds"), Set.of("lacks"), 8_000_000_000L));
        assertEquals("holds", Planner.choose(NOW, job, hs, true));
        // but a fetch is worth it when the host that holds the toolchain is far slower
        var slow = hosts(host("lacks", 0, 1000, 0), host("holds", 1, 1, 0));
        assertEquals("lacks", Planner.choose(NOW, job, slow, false));
    }

    @Test
    void equalHostsKeepDistccListOrder() {
        var hs = hosts(host("a", 0, 1000, 0), host("b", 1, 1000, 0));
        assertEquals("a", Planner.choose(NOW, queue(1, 100_000, "a", "b"), hs, true));
    }

    @Test
    void nearTheEndTheSlowHostIsSkippedWhenAFastSlotFreesSooner() {
        // fast: free in 50 ms, then 100 ms for the job (150 ms); slow: free now but 1000 ms for the job.
        var hs = hosts(host("fast", 0, 1000, 50), host("slow", 1, 100, 0));
        assertNull(Planner.choose(NOW, queue(1, 100_000, "fast", "slow"), hs, false), "waits for the fast slot");
    }

    @Test
    void inTheTailALongQueueStillSpillsToTheSlowHostOnceFastSlotsAreSpokenFor() {
        // Ten jobs wait; the fast host's one slot is reserved job after job (100 ms each), so the tenth job
        // would finish there after ~1 s, later than on the idle slow host (1000 ms): it takes the slow host.
        var hs = hosts(host("fast", 0, 1000, 50), host("slow", 1, 100, 0));
        List<Planner.Waiting> q = queue(10, 100_000, "fast", "slow");
        assertNull(Planner.choose(NOW, q.subList(0, 1), hs(hs), false), "the head waits for the fast host");
        assertEquals("slow", Planner.choose(NOW, q, hs(hs), false));
    }

    @Test
    void whileTheBuildKeepsItsJobsComingAFreeSlowerHostIsUsed() {
        // The fast host is busy for 50 ms more, then needs 100 ms (done at 150 ms); the free slow host needs
        // 400 ms, within 3x of that: while jobs keep coming, waiting would delay them too, so it takes the job.
        var hs = hosts(host("fast", 0, 1000, 50), host("slow", 1, 250, 0));
        assertEquals("slow", Planner.choose(NOW, queue(1, 100_000, "fast", "slow"), hs, true));
        assertNull(Planner.choose(NOW, queue(1, 100_000, "fast", "slow"), hs(hs), false), "but not in the tail");
    }

    @Test
    void aHostFarSlowerThanWaitingIsSkippedEvenWhileTheBuildIsBusy() {
        var hs = hosts(host("fast", 0, 1000, 50), host("crawl", 1, 10, 0));
        assertNull(Planner.choose(NOW, queue(1, 100_000, "fast", "crawl"), hs, true));
    }

    @Test
    void aJobWaitsWhenEverySlotIsBusy() {
        var hs = hosts(host("a", 0, 1000, 30, 40), host("b", 1, 1000, 20));
        assertNull(Planner.choose(NOW, queue(1, 100_000, "a", "b"), hs, true));
    }

    @Test
    void aHostWhoseFreeSlotsAreHeldElsewhereIsNotChosen() {
        Planner.HostPlan held = new Planner.HostPlan("held", new long[] {Long.MAX_VALUE},
                bytes -> bytes * MS / 10_000, 0, 0);
        var hs = hosts(held, host("other", 1, 100, 0));
        assertEquals("other", Planner.choose(NOW, queue(1, 100_000, "held", "other"), hs, true));
    }

    @Test
    void aSecondJobDoesNotTakeTheSlotTheFirstIsAboutToGet() {
        var hs = hosts(host("only", 0, 1000, 0));
        assertEquals("only", Planner.choose(NOW, queue(1, 100_000, "only"), hs(hosts(host("only", 0, 1000, 0))), true));
        assertNull(Planner.choose(NOW, queue(2, 100_000, "only"), hs, true), "the second job waits behind the first");
    }

    /** A fresh copy: choose() writes reservations into the plans it is given. */
    private static Map<String, Planner.HostPlan> hs(Map<String, Planner.HostPlan> in) {
        Map<String, Planner.HostPlan> m = new LinkedHashMap<>();
        in.forEach((k, h) -> m.put(k, new Planner.HostPlan(h.key, h.freeAt, h.estimate, h.load, h.order)));
        return m;
    }

    @Test
    void waitingJobsTakeSlotsLargestFirstUntilOneHasBeenOvertakenTooOften() {
        var small = new Planner.Rank(10_000, 0, 1);
        var large = new Planner.Rank(240_000, 0, 2);
        var unknown = new Planner.Rank(-1, 0, 0);
        var tooLong = new Planner.Rank(10_000, Planner.MAX_OVERTAKEN, 3);
        var tooLongEarlier = new Planner.Rank(5_000, Planner.MAX_OVERTAKEN, 0);
        var sameSizeLater = new Planner.Rank(240_000, 0, 5);
        var ranked = new java.util.ArrayList<>(List.of(small, unknown, sameSizeLater, tooLong, large, tooLongEarlier));
        ranked.sort(null);
        assertEquals(List.of(tooLongEarlier, tooLong, large, sameSizeLater, small, unknown), ranked,
                "jobs overtaken too often first (by arrival), then the largest, equal sizes by arrival, unknown size last");
    }

    @Test
    void longPolesGoFirstLargestFirstAndTheOtherJobsShortestFirst() {
        long typical = 50_000;   // long poles: 100 KB and up
        var pole = new Planner.Rank(240_000, 0, 4, typical);
        var smallerPole = new Planner.Rank(100_000, 0, 1, typical);
        var medium = new Planner.Rank(90_000, 0, 0, typical);
        var small = new Planner.Rank(10_000, 0, 3, typical);
        var unknown = new Planner.Rank(-1, 0, 2, typical);
        var aged = new Planner.Rank(90_000, Planner.MAX_OVERTAKEN, 5, typical);
        var ranked = new java.util.ArrayList<>(List.of(small, unknown, medium, smallerPole, aged, pole));
        ranked.sort(null);
        assertEquals(List.of(aged, pole, smallerPole, small, medium, unknown), ranked);
    }
    @Test
    void hostsInAPoolTogetherTakeNoMoreJobsThanItsSlots() {
        assertEquals("a", Planner.choose(NOW, queue(1, 100_000, "a", "b"), pooled(), true));
        assertNull(Planner.choose(NOW, queue(2, 100_000, "a", "b"), pooled(), true),
                "the job ahead takes the pool's free slot; the next waits for the pool, though a and b have slots");
        assertEquals("elsewhere", Planner.choose(NOW, queue(2, 100_000, "a", "b", "elsewhere"), pooled(), true),
                "a host outside the pool is free now");
    }

    /** Hosts a and b, two free slots each, in a pool with one slot free now; a host elsewhere as fast. */
    static Map<String, Planner.HostPlan> pooled() {
        Planner.Pool pool = new Planner.Pool(new long[] {NOW, NOW + 500 * MS});
        return hosts(host("a", 0, 1000, 0, 0).inPool(pool, 0), host("b", 1, 1000, 0, 0).inPool(pool, 0),
                host("elsewhere", 2, 1000, 0));
    }
}
