package dev.jdistcc.hub.resident;

/**
 * What the resident scheduler has learnt about one host: its speed as an EWMA of preprocessed input bytes per
 * wall millisecond of the remote exchange (connect to reply), and its recent failures. Not thread-safe: the
 * scheduler holds its lock.
 */
final class HostModel {
    /** Weight of the newest sample. */
    static final double ALPHA = 0.3;
    /** Assumed before any host is measured: about a megabyte of cpp output per second, gcc -O2 on one core. */
    static final double DEFAULT_BYTES_PER_MS = 1000;

    /**
     * How long a host's measurement stands without a new sample before the planner may try it again as if
     * it were as fast as the best host: one unlucky sample (a volunteer that was briefly overloaded) must not
     * keep a host idle for the rest of a build, since a host that gets no job is never measured again.
     */
    static final long STALE_NANOS = 5_000_000_000L;
    /** The longest a measurement stands: a host retried and found slow again waits twice as long each time. */
    static final long MAX_STALE_NANOS = 80_000_000_000L;
    /** A sample this many times slower than the fastest host counts as "still slow" for the retry interval. */
    static final double SLOW_FACTOR = 2;

    private double bytesPerMs = Double.NaN;
    private long lastSample = Long.MIN_VALUE;
    private double wallMs = Double.NaN;
    private int slowRun;
    private int samples;
    private int failures;
    private long coolUntil;

    boolean measured() {
        return samples > 0;
    }

    double bytesPerMs() {
        return bytesPerMs;
    }

    /** Expected wall nanoseconds for an input of {@code bytes} (-1: unknown size), with {@code prior} until measured. */
    long estimateNanos(long bytes, double prior) {
        double speed = measured() ? bytesPerMs : prior;
        if (bytes < 0) {
            return measured() ? (long) (wallMs * 1e6) : (long) (20_000 / speed * 1e6);
        }
        return (long) (Math.max(bytes, 1) / speed * 1e6);
    }

    /**
     * The estimate for planning while the build is wide: as {@link #estimateNanos}, but a measurement older
     * than its retry interval ({@link #STALE_NANOS} at first) counts as no slower than {@code prior}, so the
     * host gets a job and a fresh sample.
     */
    long plannedNanos(long bytes, double prior, long now) {
        if (measured() && now - lastSample > staleNanos() && prior > bytesPerMs) {
            return (long) (Math.max(bytes, 1) / prior * 1e6);
        }
        return estimateNanos(bytes, prior);
    }

    /**
     * A job's sample. {@code fastest}: the best speed measured on any other host (0: none). Each sample more
     * than {@link #SLOW_FACTOR} times slower than that, after the first in a row, doubles the interval after
     * which an idle host's measurement is retried (up to {@link #MAX_STALE_NANOS}): one unlucky sample is
     * retried soon, but a host that is really slow (a capped or loaded volunteer) is tried ever more rarely
     * instead of every few seconds. A sample near the fastest brings the interval back to {@link #STALE_NANOS}.
     */
    void compiled(long bytes, long nanos, long now, double fastest) {
        double ms = Math.max(nanos / 1e6, 0.1);
        if (bytes > 0) {
            double speed = bytes / ms;
            bytesPerMs = measured() ? ALPHA * speed + (1 - ALPHA) * bytesPerMs : speed;
            if (fastest > 0) {
                slowRun = speed * SLOW_FACTOR < fastest ? Math.min(slowRun + 1, 16) : 0;
            }
        }
        wallMs = Double.isNaN(wallMs) ? ms : ALPHA * ms + (1 - ALPHA) * wallMs;
        lastSample = now;
        samples++;
        failures = 0;
        coolUntil = 0;
    }

    /** How long this host's measurement stands before an idle host is tried again. */
    long staleNanos() {
        return Math.min(STALE_NANOS << Math.max(0, slowRun - 1), MAX_STALE_NANOS);
    }

    /** A failed attempt: avoid the host for {@code cooldown}, doubled for each failure in a row (at most 16x). */
    void failed(long now, long cooldownNanos) {
        failures++;
        coolUntil = now + (cooldownNanos << Math.min(failures - 1, 4));
    }

    boolean cooling(long now) {
        return failures > 0 && now < coolUntil;
    }
}
