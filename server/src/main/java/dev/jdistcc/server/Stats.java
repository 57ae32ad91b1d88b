package dev.jdistcc.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counters behind distccd's --stats page (reference §3.10, stats.c), fed one event per connection and
 * one per finished job. Thread-safe; times are passed in (milliseconds) so tests need no clock.
 */
public final class Stats {
    private static final long MINUTE = 60_000;

    private record Done(long start, long stop) {
    }

    private final Map<JobResult, Integer> counters = new EnumMap<>(JobResult.class);
    private final Deque<Done> okJobs = new ArrayDeque<>();      // successful jobs of the last 2 minutes
    private final Deque<Long> finished = new ArrayDeque<>();    // CPU-taxing jobs of the last 15 minutes
    private final int[] kids5 = new int[5];
    private final int[] kids15 = new int[15];
    private int kidsPos5;
    private int kidsPos15;
    private final int[] kidsAvg = new int[3];
    private long lastKidsUpdate = Long.MIN_VALUE;
    private String longestJob = "none";
    private String longestCompiler = "none";
    private int longestMillis = -1;

    public synchronized void event(JobResult r) {
        counters.merge(r, 1, Integer::sum);
    }

    /** A finished job; for COMPILE_OK also its compiler, file and run time (stats.c dcc_stats_compile_ok). */
    public synchronized void jobDone(JobResult r, String compiler, String file, long startMillis, long stopMillis) {
        event(r);
        if (r == JobResult.COMPILE_OK) {
            int ms = (int) (stopMillis - startMillis);
            if (ms > longestMillis) {
                longestMillis = ms;
                longestJob = file;
                longestCompiler = compiler;
            }
            okJobs.addFirst(new Done(startMillis, stopMillis));
            okJobs.removeIf(d -> d.stop < stopMillis - 2 * MINUTE);
        }
        if (r == JobResult.COMPILE_OK || r == JobResult.COMPILE_ERROR || r == JobResult.COMPILE_TIMEOUT
                || r == JobResult.CLI_DISCONN) {
            finished.addLast(stopMillis);
        }
    }

    /** A consistent copy for rendering. */
    public synchronized Snapshot snapshot(long now) {
        updateKidsAverage(now);
        while (!finished.isEmpty() && finished.peekFirst() <= now - 15 * MINUTE) {
            finished.removeFirst();
        }
        int c1 = 0, c5 = 0;
        for (long t : finished) {
            c1 += t > now - MINUTE ? 1 : 0;
            c5 += t > now - 5 * MINUTE ? 1 : 0;
        }
        return new Snapshot(new EnumMap<>(counters), longestJob, longestCompiler, longestMillis,
                kidsAvg.clone(), new int[] {c1, c5, finished.size()});
    }

    /**
     * distcc's average number of concurrent compiles: sampled each second from 2 to 1 minutes ago (compiles
     * are only known when they end), at most once a minute, with 5- and 15-sample rolling means.
     */
    private void updateKidsAverage(long now) {
        if (lastKidsUpdate != Long.MIN_VALUE && now - MINUTE < lastKidsUpdate) {
            return;
        }
        int total = 0;
        for (int t = 60; t < 120; t++) {
            long at = now - t * 1000L;
            for (Done d : okJobs) {
                total += d.start <= at && d.stop >= at ? 1 : 0;
            }
        }
        kidsAvg[0] = total / 60;
        kids5[kidsPos5] = kidsAvg[0];
        kidsPos5 = (kidsPos5 + 1) % 5;
        kids15[kidsPos15] = kidsAvg[0];
        kidsPos15 = (kidsPos15 + 1) % 15;
        kidsAvg[1] = java.util.Arrays.stream(kids5).sum() / 5;
        kidsAvg[2] = java.util.Arrays.stream(kids15).sum() / 15;
        lastKidsUpdate = now;
    }

    public record Snapshot(Map<JobResult, Integer> counters, String longestJob, String longestCompiler,
                           int longestMillis, int[] kidsAvg, int[] compiles) {
        public int count(JobResult r) {
            return counters.getOrDefault(r, 0);
        }
    }
}
