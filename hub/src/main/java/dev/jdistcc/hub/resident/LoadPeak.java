package dev.jdistcc.hub.resident;

/**
 * Whether a build keeps as many jobs going as it recently did (make refills its {@code -j} as jobs end), as
 * opposed to being in its tail: the load against the peak of the last {@link #WINDOW_NANOS}. Not
 * thread-safe: the scheduler calls it under its lock.
 */
final class LoadPeak {

    /** How long a peak of jobs is remembered: a build's tail is a drop below the last seconds' peak. */
    static final long WINDOW_NANOS = 5_000_000_000L;

    private int peak;
    private long peakAt;

    /** @param load jobs in progress now; @param now the scheduler's clock */
    boolean saturated(int load, long now) {
        if (load >= peak || now - peakAt > WINDOW_NANOS) {
            peak = load;
            peakAt = now;
        }
        return load >= peak;
    }
}
