package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which waiting job takes a freed slot (long poles first, announced sources), the long pole's room, and when the full cpp pays. */
class JobOrderTest extends SchedulerFixture {
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
        ResidentScheduler s = new ResidentScheduler(NO_LOCAL, clock::get, () -> 0, () -> idleMilliCpus.get() / 1000.0, SameMachine.none());
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
