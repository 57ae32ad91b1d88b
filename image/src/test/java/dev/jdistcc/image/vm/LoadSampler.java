package dev.jdistcc.image.vm;

import java.io.IOException;

/**
 * Reads the appliance's --stats page about once a second in the background while jobs run, keeping the extremes:
 * the lowest MemAvailable, the server JVM's highest resident set, the largest process seen (with its name) and
 * the most jobs seen running at once. A sample that times out is skipped. {@link #stop} (or close) ends it.
 */
final class LoadSampler implements AutoCloseable {

    record Peak(long minAvailableKb, long maxServerRssKb, long maxProcessRssKb, String maxProcessName, long maxJobs,
                int samples) {}

    private final int statsHostPort;
    private final Thread thread;
    private volatile boolean stopped;
    private long minAvailable = Long.MAX_VALUE;
    private long maxServerRss;
    private long maxProcessRss;
    private String maxProcessName = "none";
    private long maxJobs;
    private int samples;

    private LoadSampler(int statsHostPort) {
        this.statsHostPort = statsHostPort;
        this.thread = Thread.ofPlatform().daemon().name("appliance-load-sampler").start(this::loop);
    }

    static LoadSampler start(int statsHostPort) {
        return new LoadSampler(statsHostPort);
    }

    private void loop() {
        while (!stopped) {
            try {
                record(ApplianceStatus.read(statsHostPort));
            } catch (IOException | RuntimeException e) {
                // a busy single-CPU guest may not answer in time; the next sample will
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(ApplianceStatus s) {
        minAvailable = Math.min(minAvailable, s.number("mem_available_kb"));
        maxServerRss = Math.max(maxServerRss, s.number("server_rss_kb"));
        long rss = s.number("dcc_max_RSS");
        if (rss > maxProcessRss) {
            maxProcessRss = rss;
            maxProcessName = s.values().getOrDefault("dcc_max_RSS_name", "?");
        }
        maxJobs = Math.max(maxJobs, s.number("dcc_current_load"));
        samples++;
    }

    /** Stops sampling (waits for a sample in flight) and returns the extremes. */
    Peak stop() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(60_000);
        synchronized (this) {
            return new Peak(minAvailable, maxServerRss, maxProcessRss, maxProcessName, maxJobs, samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
