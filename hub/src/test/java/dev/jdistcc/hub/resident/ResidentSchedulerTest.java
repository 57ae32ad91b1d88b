package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import dev.jdistcc.client.StateFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident scheduler with real distcc lock files (fcntl) in a temporary DISTCC_DIR. */
class ResidentSchedulerTest {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    /** Only listed hosts: the default's local slots depend on this machine's cores and load. */
    static final ResidentScheduler.Config NO_LOCAL = ResidentScheduler.Config.defaults().withLocalSlots(0);

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

    @Test
    void aVolunteerThatHoldsTheJobsToolchainIsPreferredOverOneThatMustFetchIt() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = jdistcc(1001, 1);
        HostSpec.Tcp b = jdistcc(1002, 1);
        s.toolchainLocality((host, digest) -> host.port() == 1002 && digest.equals("d1"));
        try (SlotLocks.Lease l = acquire(s, naming("d1"), a, b)) {
            assertEquals(b, l.host(), "b holds d1, a would fetch it first");
        }
        try (SlotLocks.Lease l = acquire(s, naming(null), a, b)) {
            assertEquals(a, l.host(), "a job naming no toolchain keeps distcc's order");
        }
        s.toolchainLocality((host, digest) -> null);
        try (SlotLocks.Lease l = acquire(s, naming("d1"), a, b)) {
            assertEquals(a, l.host(), "unknown volunteers are not penalised");
        }
    }

    @Test
    void aRegisteredVolunteerListedWithoutLz4IsUsedAsTheJdistccPeerItIs() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp registered = tcp(1002, 1);   // as the hub's hosts file lists it: plain or ,lzo
        HostSpec.Tcp stock = tcp(1001, 1);
        HostSpec.Tcp pump = new HostSpec.Tcp("127.0.0.1:1003/1,cpp,lzo", "127.0.0.1", 1003, 1,
                new HostSpec.HostOptions(true, true, false, false, false));
        s.toolchainLocality(new ToolchainLocality() {
            @Override
            public Boolean holds(HostSpec.Tcp host, String digest) {
                return host.port() == 1001 ? null : Boolean.TRUE;
            }

            @Override
            public boolean jdistccPeer(HostSpec.Tcp host) {
                return host.port() != 1001;
            }
        });
        try (SlotLocks.Lease l = acquire(s, naming("d1"), registered)) {
            assertTrue(l.host() instanceof HostSpec.Tcp t && t.options().lz4() && t.port() == 1002, l.host().toString());
            assertEquals(SlotLocks.fileName(registered, 0), SlotLocks.fileName(l.host(), 0), "the same slot lock");
        }
        try (SlotLocks.Lease l = acquire(s, naming("d1"), stock)) {
            assertEquals(stock, l.host(), "an unregistered host stays as listed");
        }
        try (SlotLocks.Lease l = acquire(s, naming("d1"), pump)) {
            assertEquals(pump, l.host(), "a ,cpp entry keeps protocol 3");
        }
    }

    @Test
    void aVolunteerSentAJobNamingTheToolchainCountsAsHoldingItFromThen() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = jdistcc(1001, 1);
        HostSpec.Tcp b = jdistcc(1002, 1);
        s.toolchainLocality((host, digest) -> host.port() == 1002);   // the registry has not heard a has d1 yet
        try (SlotLocks.Lease l = acquire(s, naming("d1"), a)) {
            assertEquals(a, l.host());
        }
        try (SlotLocks.Lease l = acquire(s, naming("d1"), a, b)) {
            assertEquals(a, l.host(), "a fetched d1 for the first job: equal again, list order");
        }
    }

    @Test
    void concurrentJobsNeverExceedAHostsSlots() throws Exception {
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL);
        HostSpec.Tcp host = tcp(3632, 2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<?>> jobs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                jobs.add(pool.submit(() -> {
                    try (SlotLocks.Lease l = acquire(s, 10_000, host)) {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        Thread.sleep(5);
                        inFlight.decrementAndGet();
                        s.finished(new Placement.Outcome(l.host(), 10_000, 5_000_000, Placement.Kind.COMPILED));
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        assertTrue(most.get() <= 2, "at most 2 jobs at once on a /2 host, saw " + most.get());
    }

    @Test
    void aSlotLockedByAnotherProcessIsLeftToIt() throws Exception {
        HostSpec.Tcp host = tcp(3632, 2);
        Path lockFile = dir.resolve("lock").resolve(SlotLocks.fileName(host, 0));
        java.nio.file.Files.createDirectories(lockFile.getParent());
        // Another process holds slot 0 with fcntl, as a stock distcc client would.
        Process other = new ProcessBuilder("python3", "-c", "import fcntl,sys\nf=open(sys.argv[1],'w')\n"
                + "fcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()", lockFile.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new String(other.getInputStream().readNBytes(7), StandardCharsets.UTF_8);
            assertEquals("locked\n", line, "python3 holds the lock (apt-get install python3)");
            ResidentScheduler s = scheduler();
            try (SlotLocks.Lease l = acquire(s, 10_000, host)) {
                assertEquals(1, l.slot());
            }
        } finally {
            other.getOutputStream().close();
            other.waitFor(30, TimeUnit.SECONDS);
            other.destroyForcibly();
        }
    }

    @Test
    void aMeasuredFasterHostIsPreferredOverTheFirstListed() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp slow = tcp(1001, 2);
        HostSpec.Tcp fast = tcp(1002, 2);
        s.finished(new Placement.Outcome(slow, 100_000, Duration.ofMillis(1000).toNanos(), Placement.Kind.COMPILED));
        s.finished(new Placement.Outcome(fast, 100_000, Duration.ofMillis(100).toNanos(), Placement.Kind.COMPILED));
        try (SlotLocks.Lease l = acquire(s, 50_000, slow, fast)) {
            assertEquals(fast, l.host());
        }
    }

    @Test
    void aHostThatFailedIsAvoidedUntilItsCooldownEnds() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 1);
        HostSpec.Tcp b = tcp(1002, 1);
        s.finished(new Placement.Outcome(a, 10_000, 1_000_000, Placement.Kind.FAILED));
        try (SlotLocks.Lease l = acquire(s, 10_000, a, b)) {
            assertEquals(b, l.host(), "a is cooling down");
        }
        clock.addAndGet(ResidentScheduler.Config.defaults().cooldown().toNanos() + 1);
        try (SlotLocks.Lease l = acquire(s, 10_000, a, b)) {
            assertEquals(a, l.host(), "a is back after its cooldown");
        }
    }

    @Test
    void whenEveryHostIsCoolingDownTheJobIsCompiledHere() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 1);
        s.finished(new Placement.Outcome(a, 10_000, 1_000_000, Placement.Kind.FAILED));
        try (SlotLocks.Lease l = acquire(s, 10_000, a)) {
            assertInstanceOf(HostSpec.Local.class, l.host());
        }
    }

    @Test
    void withFallbacksDisabledACoolingHostIsTriedRatherThanCompilingHere() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 1);
        s.finished(new Placement.Outcome(a, 10_000, 1_000_000, Placement.Kind.FAILED));
        try (SlotLocks.Lease l = acquire(s, 10_000, false, a)) {
            assertEquals(a, l.host(), "DISTCC_FALLBACK=0: the job is not compiled here behind the user's back");
        }
    }

    @Test
    void theStallBoundIsEightTimesTheExpectedTimeAndAtLeastTheMinimum() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp h = tcp(1001, 1);
        s.finished(new Placement.Outcome(h, 1_000_000, Duration.ofSeconds(10).toNanos(), Placement.Kind.COMPILED));
        // measured 100 bytes/ms: 1 MB is expected to take 10 s, so it may take 80 s before counting as stalled
        assertEquals(Duration.ofSeconds(80), s.replyTimeout(h, 1_000_000, Duration.ofSeconds(300)));
        assertEquals(Duration.ofSeconds(20), s.replyTimeout(h, 1_000, Duration.ofSeconds(300)), "the minimum");
        assertEquals(Duration.ofSeconds(60), s.replyTimeout(h, 1_000_000, Duration.ofSeconds(60)),
                "never longer than DISTCC_IO_TIMEOUT");
    }

    @Test
    void aWaitingJobTakesTheSlotAsSoonAsAnotherJobReleasesIt() throws Exception {
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL);
        HostSpec.Tcp host = tcp(1001, 1);
        SlotLocks.Lease first = acquire(s, 10_000, host);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Integer> second = pool.submit(() -> {
                try (SlotLocks.Lease l = acquire(s, 10_000, host)) {
                    return l.slot();
                }
            });
            first.close();
            assertEquals(0, second.get(120, TimeUnit.SECONDS));
        }
    }

    @Test
    void localCoresTakeAJobWhileAVolunteerIsBusyOnlyWhenACoreIsIdle() throws Exception {
        HostSpec.Tcp host = tcp(1001, 1);
        ResidentScheduler.Config oneLocal = NO_LOCAL.withLocalSlots(1);

        ResidentScheduler idle = new ResidentScheduler(oneLocal, clock::get, () -> 1.5, () -> 0);
        try (SlotLocks.Lease busy = acquire(idle, 10_000, host);
             SlotLocks.Lease second = acquire(idle, 10_000, host)) {
            assertEquals(host, busy.host());
            assertInstanceOf(HostSpec.Local.class, second.host(), "an idle core takes the job the busy volunteer cannot");
        }

        ResidentScheduler loaded = new ResidentScheduler(oneLocal, clock::get, () -> 0.4, () -> 0);
        SlotLocks.Lease first = acquire(loaded, 10_000, host);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<HostSpec> second = pool.submit(() -> {
                try (SlotLocks.Lease l = acquire(loaded, 10_000, host)) {
                    return l.host();
                }
            });
            first.close();
            assertEquals(host, second.get(120, TimeUnit.SECONDS), "with no idle core the job waits for the volunteer");
        }
    }

    @Test
    void byDefaultAllCoresButTwoAreOffered() {
        assertEquals(0, ResidentScheduler.Config.autoLocalSlots(2));
        assertEquals(6, ResidentScheduler.Config.autoLocalSlots(8));
    }

    @Test
    void anIdleHostWhoseSlowMeasurementHasGoneStaleIsTriedAgainWhileTheBuildIsWide() {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 1);
        HostSpec.Tcp b = tcp(1002, 1);
        s.finished(new Placement.Outcome(a, 10_000, 1_000_000, Placement.Kind.COMPILED));
        // one unlucky sample: b looked 100,000 times slower than a, and would never get a job again
        s.finished(new Placement.Outcome(b, 10_000, 100_000_000_000L, Placement.Kind.COMPILED));
        clock.addAndGet(HostModel.STALE_NANOS + 1);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (SlotLocks.Lease first = acquire(s, 10_000, a, b);
                 SlotLocks.Lease second = acquire(s, 10_000, a, b)) {
                assertEquals(a, first.host());
                assertEquals(b, second.host(), "b's old measurement no longer keeps it idle");
            }
        });
    }

    @Test
    void aHostFoundSlowAgainOnEachRetryIsRetriedEverMoreRarely() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 1);
        HostSpec.Tcp b = tcp(1002, 1);
        s.finished(new Placement.Outcome(a, 10_000, 1_000_000, Placement.Kind.COMPILED));
        long interval = HostModel.STALE_NANOS / 2;
        for (int retry = 0; retry < 6; retry++) {
            // b is (re)tried and comes back 100 times slower than a again
            s.finished(new Placement.Outcome(b, 10_000, 100_000_000, Placement.Kind.COMPILED));
            interval = Math.min(interval * 2, HostModel.MAX_STALE_NANOS);
            clock.addAndGet(interval / 2);
            assertEquals(a, secondJobsHost(s, a, b), "b's measurement still stands half-way through its interval");
            clock.addAndGet(interval / 2 + 1);
            assertEquals(b, secondJobsHost(s, a, b), "b is tried again once its interval has passed");
        }
    }

    /**
     * The host a second job gets while a first job holds a's only slot (the build is as wide as it was):
     * b if the planner sends it there at once, a if it waits for a (it gets a once the first job ends).
     */
    private HostSpec secondJobsHost(ResidentScheduler s, HostSpec.Tcp a, HostSpec.Tcp b) throws Exception {
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<HostSpec> second;
            try (SlotLocks.Lease first = acquire(s, 10_000, a, b)) {
                assertEquals(a, first.host());
                second = pool.submit(() -> {
                    try (SlotLocks.Lease l = acquire(s, 10_000, a, b)) {
                        return l.host();
                    }
                });
                try {
                    return second.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException waiting) {
                    // it waits for a: let the first job end
                }
            }
            return second.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * A job waiting for a full host takes the slot our own job releases at once, whenever the release
     * happens: also between the waiter's plan and its wait. The poll here is an hour, so a lost notification
     * would leave the waiter asleep with the slot free (a build then idles); the release comes right after
     * the waiter starts, many times, to land in that window.
     */
    @Test
    void aWaitingJobIsWokenByEveryReleaseEvenOneDuringItsPlanning() throws Exception {
        ResidentScheduler s = new ResidentScheduler(new ResidentScheduler.Config(Duration.ofSeconds(20), 8, 0,
                Duration.ofSeconds(10), Duration.ofHours(1)));
        HostSpec.Tcp a = tcp(1001, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                SlotLocks.Lease held = acquire(s, 10_000, a);
                for (int i = 0; i < 300; i++) {
                    Future<SlotLocks.Lease> waiter = pool.submit(() -> acquire(s, 10_000, a));
                    if (i % 2 == 1) {
                        Thread.onSpinWait();
                    }
                    held.close();
                    held = waiter.get();
                    assertEquals(a, held.host());
                }
                held.close();
            });
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The order in which jobs of these sizes, queued one after the other behind a job holding the host's only
     * slot, take that slot once it is released.
     */
    private List<Long> turns(ResidentScheduler s, HostSpec.Tcp host, long... sizes) throws Exception {
        SlotLocks.Lease first = acquire(s, 10_000, host);
        List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(sizes.length)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (long bytes : sizes) {
                jobs.add(pool.submit(() -> {
                    try (SlotLocks.Lease l = acquire(s, bytes, host)) {
                        order.add(bytes);
                    }
                    return null;
                }));
                while (s.waiting() < jobs.size()) {
                    Thread.sleep(5);
                }
            }
            first.close();
            for (Future<?> f : jobs) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        return order;
    }

    /**
     * Before the typical size is known every job ranks as a long pole, largest first: of two jobs waiting for
     * the only slot, the larger takes it, though it came second.
     */
    @Test
    void theLargestWaitingJobTakesTheNextFreeSlot() throws Exception {
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL);
        HostSpec.Tcp host = tcp(1001, 1);
        List<Long> order = turns(s, host, 20_000, 240_000);
        assertEquals(List.of(240_000L, 20_000L), order);
    }

    static Placement.Job job(String source, long bytes) {
        return new Placement.Job(source.substring(source.lastIndexOf('/') + 1), bytes, true, null, source);
    }

    /**
     * A source compiled before is remembered by size: announced while its cpp runs, it keeps the slot freed
     * meanwhile from a smaller job that was already waiting, and takes it when it asks; half a second of cpp
     * later it holds no one back any more.
     */
    @Test
    void aLargeSourceSeenBeforeKeepsTheNextSlotWhileItsCppRuns() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp host = tcp(1001, 1);
        acquire(s, job("/src/lvm.c", 240_000), host).close();   // an earlier build: lvm.c is remembered
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            SlotLocks.Lease busy = acquire(s, job("/src/lapi.c", 100_000), host);
            Placement.Pending lvmCpp = s.announce("/src/lvm.c");
            Future<?> small = pool.submit(() -> {
                try (SlotLocks.Lease l = acquire(s, job("/src/lzio.c", 20_000), host)) {
                    order.add("lzio.c");
                }
                return null;
            });
            while (s.waiting() < 1) {
                Thread.sleep(5);
            }
            busy.close();
            Thread.sleep(300);   // the small job had the free slot to take all this while (it polls every 200 ms)
            assertEquals(List.of(), order, "the slot is kept for the announced larger job");
            try (Placement.Pending p = lvmCpp; SlotLocks.Lease l = acquire(s, job("/src/lvm.c", 240_000), host)) {
                order.add("lvm.c");
            }
            small.get(120, TimeUnit.SECONDS);
            assertEquals(List.of("lvm.c", "lzio.c"), order);

            busy = acquire(s, job("/src/lapi.c", 100_000), host);
            Placement.Pending slowCpp = s.announce("/src/lvm.c");
            Future<?> again = pool.submit(() -> acquire(s, job("/src/lzio.c", 20_000), host));
            while (s.waiting() < 1) {
                Thread.sleep(5);
            }
            clock.addAndGet(ResidentScheduler.ANNOUNCED_NANOS + 1);
            busy.close();
            try (SlotLocks.Lease l = (SlotLocks.Lease) again.get(120, TimeUnit.SECONDS)) {
                assertEquals(host, l.host(), "a cpp slower than the limit holds no one back");
            }
            slowCpp.close();
        }
        try (Placement.Pending unknown = s.announce("/src/never-seen.c");
             SlotLocks.Lease l = acquire(s, job("/src/lzio.c", 20_000), host)) {
            assertEquals(host, l.host(), "a source never compiled here reserves nothing");
        }
    }

    /** Eight jobs of 50 KB: the typical size becomes known (long poles are then 100 KB and up). */
    private void typicalJobsOf50k(ResidentScheduler s, HostSpec.Tcp host) throws Exception {
        for (int i = 0; i < SourceSizes.TYPICAL_AFTER; i++) {
            acquire(s, job("/src/typical" + i + ".c", 50_000), host).close();
        }
    }

    /**
     * Once the typical size is known, a waiting long pole still goes first, and the other waiting jobs go
     * shortest first: each gives make its -j token back sooner.
     */
    @Test
    void behindTheLongPolesTheShortestWaitingJobGoesFirst() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp host = tcp(1001, 1);
        typicalJobsOf50k(s, host);
        List<Long> order = turns(s, host, 60_000, 20_000, 240_000);
        assertEquals(List.of(240_000L, 20_000L, 60_000L), order);
    }

    /** Only a long pole's announcement keeps a slot free during its cpp; a typical job's keeps none. */
    @Test
    void anAnnouncedJobOfTypicalSizeKeepsNoSlot() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp host = tcp(1001, 1);
        typicalJobsOf50k(s, host);
        acquire(s, job("/src/lmem.c", 60_000), host).close();    // remembered, but not a long pole
        SlotLocks.Lease busy = acquire(s, job("/src/lapi.c", 50_000), host);
        try (ExecutorService pool = Executors.newFixedThreadPool(1);
             Placement.Pending lmemCpp = s.announce("/src/lmem.c")) {
            Future<SlotLocks.Lease> small = pool.submit(() -> acquire(s, job("/src/lzio.c", 20_000), host));
            while (s.waiting() < 1) {
                Thread.sleep(5);
            }
            busy.close();
            try (SlotLocks.Lease l = small.get(120, TimeUnit.SECONDS)) {
                assertEquals(host, l.host(), "the waiting job takes the freed slot at once");
            }
        }
    }

    /**
     * While the build's largest long pole compiles, its host offers one slot less: a typical job beside it
     * does not take its host's second slot (it waits, or goes to another host), and gets it once the pole is
     * done. A typical job holds no slot back.
     */
    @Test
    void theHostOfTheLargestLongPoleKeepsASlotFreeWhileThePoleCompiles() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp host = tcp(1001, 2);
        typicalJobsOf50k(s, host);
        try (SlotLocks.Lease typical = acquire(s, job("/src/lapi.c", 60_000), host);
             SlotLocks.Lease beside = acquire(s, job("/src/lzio.c", 20_000), host)) {
            assertEquals(host, beside.host(), "beside a typical job the second slot is taken at once");
        }
        SlotLocks.Lease pole = acquire(s, job("/src/lvm.c", 240_000), host);
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            Future<SlotLocks.Lease> small = pool.submit(() -> acquire(s, job("/src/lzio.c", 20_000), host));
            while (s.waiting() < 1 && !small.isDone()) {
                Thread.sleep(5);
            }
            Thread.sleep(300);   // it had the second slot to take all this while (it polls every 200 ms)
            if (small.isDone()) {
                small.get().close();
                pole.close();
            }
            assertTrue(!small.isDone(), "the pole's host keeps its second slot free");
            pole.close();
            try (SlotLocks.Lease l = small.get(120, TimeUnit.SECONDS)) {
                assertEquals(host, l.host(), "the pole done, the slot is offered again");
            }
        }
    }

    /** With the room turned off (--no-long-pole-room), a job takes the slot beside the pole at once. */
    @Test
    void withoutLongPoleRoomAJobTakesTheSlotBesideThePole() throws Exception {
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL.withLongPoleRoom(false), clock::get);
        HostSpec.Tcp host = tcp(1001, 2);
        typicalJobsOf50k(s, host);
        try (SlotLocks.Lease pole = acquire(s, job("/src/lvm.c", 240_000), host);
             SlotLocks.Lease beside = acquire(s, job("/src/lzio.c", 20_000), host)) {
            assertEquals(host, beside.host());
        }
    }

    /** Another host's free slot is used while the pole's host keeps its own second slot free. */
    @Test
    void besideALongPoleTheNextJobGoesToAnotherHost() throws Exception {
        ResidentScheduler s = scheduler();
        HostSpec.Tcp a = tcp(1001, 2);
        HostSpec.Tcp b = tcp(1002, 2);
        typicalJobsOf50k(s, a);
        try (SlotLocks.Lease pole = acquire(s, job("/src/lvm.c", 240_000), a);
             SlotLocks.Lease other = acquire(s, job("/src/lapi.c", 60_000), b);
             SlotLocks.Lease next = acquire(s, job("/src/lzio.c", 20_000), a, b)) {
            assertEquals(b, next.host(), "b's second slot, not the one beside the pole");
        }
    }

    /**
     * A job runs the full cpp instead of the partial one only while every volunteer slot is busy or jobs wait
     * for one, and this machine has at least half a CPU idle: then the volunteers limit the build.
     */
    @Test
    void theFullCppPaysOnlyWhileTheVolunteersAreFullAndThisMachineIdles() throws Exception {
        AtomicLong idleMilliCpus = new AtomicLong(1000);
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL, clock::get, () -> 0, () -> idleMilliCpus.get() / 1000.0);
        HostSpec.Tcp host = tcp(1001, 2);
        assertTrue(!s.fullCppPays(), "no job waits for a slot");
        SlotLocks.Lease first = acquire(s, 10_000, host);
        assertTrue(!s.fullCppPays(), "a volunteer slot is free");
        SlotLocks.Lease busy = acquire(s, 10_000, host);
        assertTrue(s.fullCppPays(), "every volunteer slot is held and a CPU is idle");
        first.close();
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            SlotLocks.Lease again = acquire(s, 10_000, host);
            Future<SlotLocks.Lease> waiting = pool.submit(() -> acquire(s, 10_000, host));
            while (s.waiting() < 1) {
                Thread.sleep(5);
            }
            assertTrue(s.fullCppPays(), "a job waits and a CPU is idle");
            idleMilliCpus.set(400);
            assertTrue(!s.fullCppPays(), "this machine is busy: the partial cpp saves it work");
            busy.close();
            again.close();
            waiting.get(120, TimeUnit.SECONDS).close();
        }
    }
}
