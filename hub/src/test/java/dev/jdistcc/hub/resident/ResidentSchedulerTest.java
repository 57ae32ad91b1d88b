package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The resident scheduler with real distcc lock files (fcntl) in a temporary DISTCC_DIR: slots, hosts, failures. */
class ResidentSchedulerTest extends SchedulerFixture {

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
        int most = mostAtOnce(new ResidentScheduler(NO_LOCAL), 16, tcp(3632, 2));
        assertTrue(most <= 2, "at most 2 jobs at once on a /2 host, saw " + most);
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
        clock.addAndGet(SchedulerConfig.defaults().cooldown().toNanos() + 1);
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
        SchedulerConfig oneLocal = NO_LOCAL.withLocalSlots(1);

        ResidentScheduler idle = new ResidentScheduler(oneLocal, clock::get, () -> 1.5, () -> 0, SameMachine.none());
        try (SlotLocks.Lease busy = acquire(idle, 10_000, host);
             SlotLocks.Lease second = acquire(idle, 10_000, host)) {
            assertEquals(host, busy.host());
            assertInstanceOf(HostSpec.Local.class, second.host(), "an idle core takes the job the busy volunteer cannot");
        }

        ResidentScheduler loaded = new ResidentScheduler(oneLocal, clock::get, () -> 0.4, () -> 0, SameMachine.none());
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
        assertEquals(0, SchedulerConfig.autoLocalSlots(2));
        assertEquals(6, SchedulerConfig.autoLocalSlots(8));
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
        ResidentScheduler s = new ResidentScheduler(new SchedulerConfig(Duration.ofSeconds(20), 8, 0,
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

}
