package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A hub's memory outlives it: the file's format, and a later scheduler or hub planning with it. */
class HubMemoryTest extends SchedulerFixture {

    static HubMemory sample() {
        Map<String, Long> sources = new LinkedHashMap<>();
        sources.put("/src/old.c", 20_000L);
        sources.put("/src/with space.c", 60_000L);
        sources.put("/src/lvm.c", 240_000L);
        return new HubMemory(Math.log(50_000), 40, sources,
                Map.of("127.0.0.1:1001/2", new HubMemory.HostSpeed(812.5, 95.25)));
    }

    @Test
    void whatIsWrittenIsReadBackInTheSameOrderWithOwnerOnlyPermissions() throws Exception {
        Path f = dir.resolve("hub.memory");
        sample().write(f);
        HubMemory back = HubMemory.read(f).orElseThrow();
        assertEquals(sample(), back);
        assertEquals(List.of("/src/old.c", "/src/with space.c", "/src/lvm.c"), new ArrayList<>(back.sources().keySet()),
                "least recently used first, as remembered");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void noFileMeansNoMemory() throws Exception {
        assertEquals(Optional.empty(), HubMemory.read(dir.resolve("absent")));
    }

    @Test
    void aFileThisVersionCannotUseIsRejectedWholeWithTheLineNamed() throws Exception {
        Path f = dir.resolve("hub.memory");
        for (String body : List.of(
                "jdistcc-hub-memory 2\n",
                "",
                HubMemory.HEADER + "\nsource\t100\n",
                HubMemory.HEADER + "\nsource\tNaN\t/src/a.c\n",
                HubMemory.HEADER + "\nsource\t-5\t/src/a.c\n",
                HubMemory.HEADER + "\nhost\t0\t10\th:1/2\n",
                HubMemory.HEADER + "\nsource\t100\t\n",
                HubMemory.HEADER + "\nsources\t100\t/src/a.c\n")) {
            Files.writeString(f, body);
            HubMemory.Unreadable e = assertThrows(HubMemory.Unreadable.class, () -> HubMemory.read(f), body);
            assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
            assertTrue(e.getMessage().endsWith("starting with an empty memory"), e.getMessage());
        }
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThrows(HubMemory.Unreadable.class, () -> HubMemory.read(f));
    }

    @Test
    void namesThatWouldBreakTheLineFormatAreNotWritten() throws Exception {
        Path f = dir.resolve("hub.memory");
        new HubMemory(0, 0, Map.of("/src/a\nb.c", 1L, "/src/tab\t.c", 2L, "/src/ok.c", 3L), Map.of()).write(f);
        assertEquals(Map.of("/src/ok.c", 3L), HubMemory.read(f).orElseThrow().sources());
    }

    /** A scheduler that starts from an earlier one's memory plans the first build as the earlier one would. */
    @Test
    void aNewSchedulerWithTheMemoryPrefersTheFasterHostAndKeepsTheSlotForALongPole() throws Exception {
        HostSpec.Tcp slow = tcp(1001, 1);
        HostSpec.Tcp fast = tcp(1002, 1);
        ResidentScheduler before = scheduler();
        before.finished(new Placement.Outcome(slow, 100_000, Duration.ofMillis(1000).toNanos(), Placement.Kind.COMPILED));
        before.finished(new Placement.Outcome(fast, 100_000, Duration.ofMillis(100).toNanos(), Placement.Kind.COMPILED));
        acquire(before, job("/src/lvm.c", 240_000), fast).close();

        ResidentScheduler s = scheduler();
        s.remember(before.memory());
        try (SlotLocks.Lease l = acquire(s, 50_000, slow, fast)) {
            assertEquals(fast, l.host(), "measured faster by the earlier hub");
        }
        SlotLocks.Lease busy = acquire(s, job("/src/lapi.c", 100_000), fast);
        try (Placement.Pending lvmCpp = s.announce("/src/lvm.c");
             var pool = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var small = pool.submit(() -> acquire(s, job("/src/lzio.c", 20_000), fast));
            while (s.waiting() < 1) {
                Thread.sleep(5);
            }
            busy.close();
            Thread.sleep(300);   // the small job had the free slot to take all this while (it polls every 200 ms)
            assertTrue(!small.isDone(), "the slot is kept for lvm.c, remembered by the earlier hub");
            try (SlotLocks.Lease l = acquire(s, job("/src/lvm.c", 240_000), fast)) {
                assertEquals(fast, l.host());
            }
            small.get(120, java.util.concurrent.TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aHubKeepsItsMemoryWhenItClosesAndTheNextHubStartsFromIt() throws Exception {
        Path socket = dir.resolve("h").resolve("hub.sock");
        HostSpec.Tcp host = tcp(1001, 2);
        List<String> reports = new ArrayList<>();
        try (ResidentHub hub = ResidentHub.start(socket, NO_LOCAL, null, reports::add).orElseThrow()) {
            hub.scheduler().finished(new Placement.Outcome(host, 100_000, Duration.ofMillis(100).toNanos(),
                    Placement.Kind.COMPILED));
        }
        assertEquals(List.of(), reports, "nothing to remember at the first start");
        Path memory = socket.resolveSibling("hub.sock.memory");
        assertTrue(Files.isRegularFile(memory));
        try (ResidentHub next = ResidentHub.start(socket, NO_LOCAL, null, reports::add).orElseThrow()) {
            assertEquals("1000 bytes/ms, 0 in flight", next.scheduler().describe().get(HostBook.key(host)));
        }
        assertEquals(List.of("remembered from " + memory + ": 0 sources' sizes, 1 hosts' speeds"), reports);

        Files.writeString(memory, "garbage\n");
        reports.clear();
        try (ResidentHub next = ResidentHub.start(socket, NO_LOCAL, null, reports::add).orElseThrow()) {
            assertEquals(Map.of(), next.scheduler().describe(), "a broken memory is not used");
        }
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).startsWith("hub memory: " + memory + ":1: expected the header"), reports.get(0));
    }
}
