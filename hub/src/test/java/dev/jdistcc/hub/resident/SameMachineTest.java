package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Volunteers on this machine share its cores: which hosts they are, and the limit on their jobs together. */
class SameMachineTest extends SchedulerFixture {

    static HostSpec.Tcp elsewhere(int port, int slots) {
        return new HostSpec.Tcp("volunteer:" + port + "/" + slots, "volunteer", port, slots, HostSpec.HostOptions.NONE);
    }

    /** 127.0.0.1 is this machine; the host named "volunteer" is another one. */
    ResidentScheduler scheduler(int sameMachineJobs) {
        return new ResidentScheduler(NO_LOCAL.withSameMachineJobs(sameMachineJobs), clock::get,
                new SameMachine(host -> host.equals("127.0.0.1")));
    }

    @Test
    void loopbackAndThisMachinesOwnAddressesAreThisMachineOthersAreNot() {
        assertTrue(SameMachine.localAddress("127.0.0.1"));
        assertTrue(SameMachine.localAddress("127.0.0.2"), "all of 127/8 is loopback");
        assertTrue(SameMachine.localAddress("::1"));
        assertFalse(SameMachine.localAddress("192.0.2.1"), "a documentation address, on no interface here");
        assertFalse(SameMachine.localAddress("no-such-host.invalid"), "a name that does not resolve");
        SameMachine byAddress = SameMachine.byAddress();
        assertTrue(byAddress.shares(tcp(3632, 2)));
        assertFalse(byAddress.shares(new HostSpec.Local("localhost/2", 2)), "localhost is sized by the host list");
    }

    @Test
    void theDefaultLimitIsOneJobMoreThanTheOnlineCpus() throws Exception {
        Path online = dir.resolve("online");
        Files.writeString(online, "0-3,6\n");
        assertEquals(5, SameMachine.onlineCpus(online));
        Files.writeString(online, "0\n");
        assertEquals(1, SameMachine.onlineCpus(online));
        assertEquals(Runtime.getRuntime().availableProcessors(), SameMachine.onlineCpus(dir.resolve("missing")));
        assertEquals(3, SameMachine.autoJobs(2));
        assertTrue(SchedulerConfig.defaults().sameMachineJobs() >= 2);
    }

    @Test
    void volunteersOnThisMachineTogetherRunNoMoreJobsThanTheLimitWhateverTheirSlots() throws Exception {
        ResidentScheduler s = scheduler(3);
        HostSpec.Tcp a = tcp(1001, 2);
        HostSpec.Tcp b = tcp(1002, 2);
        HostSpec.Tcp c = tcp(1003, 2);
        assertEquals(3, mostAtOnce(s, 24, a, b, c), "6 slots, but 3 jobs at most on this machine's volunteers");
    }

    @Test
    void aVolunteerElsewhereIsNotLimitedAndTakesTheJobsTheLimitHoldsBack() throws Exception {
        ResidentScheduler s = scheduler(1);
        HostSpec.Tcp here = tcp(1001, 2);
        HostSpec.Tcp there = elsewhere(1002, 2);
        List<SlotLocks.Lease> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(acquire(s, 10_000, here, there));
            }
            assertEquals(1, held.stream().filter(l -> l.host().equals(here)).count(), "one job here, the limit");
            assertEquals(2, held.stream().filter(l -> l.host().equals(there)).count(), "both slots elsewhere");
        } finally {
            for (SlotLocks.Lease l : held) {
                l.close();
            }
        }
        try (SlotLocks.Lease l = acquire(s, 10_000, here)) {
            assertEquals(here, l.host(), "released jobs free the limit again");
        }
    }

    @Test
    void jobsSpreadOverTheVolunteersOnThisMachineSinceAJobSharesItsVolunteerWithTheOthersThere() throws Exception {
        ResidentScheduler s = scheduler(2);
        HostSpec.Tcp a = tcp(1001, 2);
        HostSpec.Tcp b = tcp(1002, 2);
        try (SlotLocks.Lease first = acquire(s, 10_000, a, b); SlotLocks.Lease second = acquire(s, 10_000, a, b)) {
            assertEquals(a, first.host(), "list order among equals");
            assertEquals(b, second.host(), "a already runs a job: b finishes the second first");
        }
    }

    @Test
    void aJobThatRanBesideAnotherOnItsVolunteerIsMeasuredAsIfAlone() throws Exception {
        ResidentScheduler s = scheduler(4);
        HostSpec.Tcp a = tcp(1001, 2);
        try (SlotLocks.Lease first = acquire(s, 10_000, a); SlotLocks.Lease second = acquire(s, 10_000, a)) {
            s.finished(new Placement.Outcome(a, 10_000, 20_000_000, Placement.Kind.COMPILED));   // 20 ms beside another
        }
        assertTrue(s.describe().get("127.0.0.1:1001").startsWith("1000 bytes/ms"), s.describe().toString());
    }

    @Test
    void noLimitWhenItIsZero() throws Exception {
        ResidentScheduler s = scheduler(0);
        List<SlotLocks.Lease> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(acquire(s, 10_000, tcp(1001, 2), tcp(1002, 2)));
            }
            assertEquals(4, held.size(), "all 4 slots");
        } finally {
            for (SlotLocks.Lease l : held) {
                l.close();
            }
        }
    }

    /** Runs {@code jobs} jobs from 8 threads over {@code hosts}; the most that held slots at once. */
    private int mostAtOnce(ResidentScheduler s, int jobs, HostSpec... hosts) throws Exception {
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
