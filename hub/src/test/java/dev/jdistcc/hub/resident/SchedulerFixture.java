package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import dev.jdistcc.client.StateFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** Scheduler, clock, hosts and jobs shared by the scheduler tests; locks are real fcntl locks in a temporary DISTCC_DIR. */
abstract class SchedulerFixture {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    /** Only listed hosts: the default's local slots depend on this machine's cores and load. */
    static final SchedulerConfig NO_LOCAL = SchedulerConfig.defaults().withLocalSlots(0).withSameMachineJobs(0);

    static HostSpec.Tcp tcp(int port, int slots) {
        return new HostSpec.Tcp("127.0.0.1:" + port + "/" + slots, "127.0.0.1", port, slots, HostSpec.HostOptions.NONE);
    }

    ResidentScheduler scheduler() {
        return new ResidentScheduler(NO_LOCAL, clock::get);
    }

    SlotLocks.Lease acquire(ResidentScheduler s, long bytes, HostSpec... hosts) throws Exception {
        return acquire(s, bytes, true, hosts);
    }

    SlotLocks.Lease acquire(ResidentScheduler s, long bytes, boolean fallback, HostSpec... hosts) throws Exception {
        return acquire(s, new Placement.Job("x.c", bytes, fallback, null), hosts);
    }

    SlotLocks.Lease acquire(ResidentScheduler s, Placement.Job job, HostSpec... hosts) throws Exception {
        return s.acquire(job, List.of(hosts), new SlotLocks(dir.resolve("lock")), new StateFile(dir.resolve("state"), 1));
    }

    static HostSpec.Tcp jdistcc(int port, int slots) {
        return new HostSpec.Tcp("127.0.0.1:" + port + "/" + slots + ",lz4", "127.0.0.1", port, slots,
                new HostSpec.HostOptions(false, false, true, false, false));
    }

    static Placement.Job naming(String toolchain) {
        return new Placement.Job("x.c", 10_000, true, toolchain);
    }

    static Placement.Job job(String source, long bytes) {
        return new Placement.Job(source.substring(source.lastIndexOf('/') + 1), bytes, true, null, source);
    }

    /** Runs {@code jobs} jobs from 8 threads over {@code hosts}; the most that held slots at once. */
    int mostAtOnce(ResidentScheduler s, int jobs, HostSpec... hosts) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < jobs; i++) {
                running.add(pool.submit(() -> {
                    try (SlotLocks.Lease l = acquire(s, 10_000, hosts)) {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        Thread.sleep(5);
                        inFlight.decrementAndGet();
                        s.finished(new Placement.Outcome(l.host(), 10_000, 5_000_000, Placement.Kind.COMPILED));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        return most.get();
    }
}
