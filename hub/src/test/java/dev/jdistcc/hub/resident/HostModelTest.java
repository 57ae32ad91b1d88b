package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostModelTest {
    static final double FASTEST = 10_000;   // bytes per ms of the best other host

    @Test
    void eachSlowSampleAfterTheFirstDoublesTheRetryIntervalUpToItsCap() {
        HostModel m = new HostModel();
        m.compiled(10_000, 100_000_000, 0, FASTEST);   // 100 bytes/ms: 100 times slower
        assertEquals(HostModel.STALE_NANOS, m.staleNanos(), "one unlucky sample is retried soon");
        long expected = HostModel.STALE_NANOS;
        for (int i = 0; i < 8; i++) {
            m.compiled(10_000, 100_000_000, 0, FASTEST);
            expected = Math.min(expected * 2, HostModel.MAX_STALE_NANOS);
            assertEquals(expected, m.staleNanos());
        }
        assertEquals(HostModel.MAX_STALE_NANOS, m.staleNanos());
    }

    @Test
    void aSampleNearTheFastestResetsTheRetryInterval() {
        HostModel m = new HostModel();
        m.compiled(10_000, 100_000_000, 0, FASTEST);
        m.compiled(10_000, 100_000_000, 0, FASTEST);
        m.compiled(10_000, 1_500_000, 0, FASTEST);      // within SLOW_FACTOR of the fastest
        assertEquals(HostModel.STALE_NANOS, m.staleNanos());
    }

    @Test
    void withNoOtherHostMeasuredASampleIsNeitherSlowNorFast() {
        HostModel m = new HostModel();
        m.compiled(10_000, 100_000_000, 0, 0);
        assertEquals(HostModel.STALE_NANOS, m.staleNanos());
    }

    @Test
    void aStaleMeasurementIsPlannedAsFastAsThePriorOnlyAfterItsInterval() {
        HostModel m = new HostModel();
        m.compiled(10_000, 100_000_000, 0, FASTEST);
        m.compiled(10_000, 100_000_000, 0, FASTEST);       // slow again: interval now 2 x STALE_NANOS
        long slow = m.estimateNanos(10_000, FASTEST);
        assertEquals(slow, m.plannedNanos(10_000, FASTEST, 2 * HostModel.STALE_NANOS));
        assertEquals(1_000_000, m.plannedNanos(10_000, FASTEST, 2 * HostModel.STALE_NANOS + 1));
    }
}
