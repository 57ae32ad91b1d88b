package dev.jdistcc.hub.resident;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the resident scheduler remembers of sources between builds: each source's last preprocessed size (by
 * absolute path, the least recently used forgotten first), the typical size of recent jobs, and the jobs
 * announced while their cpp runs whose source it remembers as a long pole ({@link Planner#longPole}). Not
 * thread-safe: the scheduler holds its lock.
 */
final class SourceSizes {
    /** How many sources' sizes are remembered. */
    static final int REMEMBERED_SOURCES = 8192;

    /** A job in its cpp whose size is known from an earlier build; {@code seq} is its place among arrivals. */
    record Announced(String source, long bytes, long since, long seq) {
    }

    private final Map<String, Long> sizes = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
            return size() > REMEMBERED_SOURCES;
        }
    };
    private final List<Announced> announced = new ArrayList<>();
    /** The mean of the logarithms of recent jobs' sizes (an EWMA), and how many jobs it has seen. */
    private double logMean;
    private long seen;

    /** The weight of each new job in {@link #typical()}: about the last 32 jobs count. */
    static final double TYPICAL_WEIGHT = 1.0 / 32;
    /** How many jobs must have been seen before their typical size is believed. */
    static final int TYPICAL_AFTER = 8;

    /**
     * The typical input size of recent jobs (a geometric mean, so one huge unit moves it little); 0 until
     * {@link #TYPICAL_AFTER} jobs have been seen.
     */
    long typical() {
        return seen >= TYPICAL_AFTER ? Math.round(Math.exp(logMean)) : 0;
    }

    /**
     * The announcement of {@code source}'s job, or null when its size is not remembered or is not a long pole's:
     * a slot is kept free during a job's cpp only for a job that would otherwise end the build late.
     */
    Announced announce(String source, long now, long seq) {
        Long bytes = sizes.get(source);
        if (bytes == null || !Planner.longPole(bytes, typical())) {
            return null;
        }
        Announced a = new Announced(source, bytes, now, seq);
        announced.add(a);
        return a;
    }

    /** Drops an announcement; true if it was still there. */
    boolean withdraw(Announced a) {
        return announced.remove(a);
    }

    /**
     * The job of {@code source} now asks for a slot with {@code bytes} of input (-1: unknown): remembers the
     * size, ends its announcement, and returns the place it was announced with, or {@code seq} if none.
     */
    long arrived(String source, long bytes, long seq) {
        if (bytes >= 0) {
            sizes.put(source, bytes);
        }
        for (int i = 0; i < announced.size(); i++) {
            if (announced.get(i).source().equals(source)) {
                return announced.remove(i).seq();
            }
        }
        return seq;
    }

    /** A job of {@code bytes} input (-1: unknown) asks for a slot: counts towards the typical size. */
    void sized(long bytes) {
        if (bytes > 0) {
            double l = Math.log(bytes);
            logMean = seen == 0 ? l : logMean + (l - logMean) * TYPICAL_WEIGHT;
            seen++;
        }
    }

    /** The announcements made at most {@code maxAgeNanos} before {@code now}. */
    List<Announced> fresh(long now, long maxAgeNanos) {
        List<Announced> out = new ArrayList<>();
        for (Announced a : announced) {
            if (now - a.since() <= maxAgeNanos) {
                out.add(a);
            }
        }
        return out;
    }
}
