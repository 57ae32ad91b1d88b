package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle CPUs from /proc/stat, counted over the CPUs a process may use. */
class IdleCpusTest {
    @TempDir
    Path dir;

    @Test
    void theAllowedListIsReadFromProcSelfStatus() {
        BitSet cpus = IdleCpus.allowedCpus(List.of("Name:\tjava", "Cpus_allowed:\t13", "Cpus_allowed_list:\t0-1,4"));
        assertEquals(BitSet.valueOf(new long[] {0b10011}), cpus);
        assertNull(IdleCpus.allowedCpus(List.of("Name:\tjava")), "no list: every CPU counts");
    }

    static List<String> stat(long idle0, long busy0, long idle1, long busy1) {
        return List.of("cpu  9 9 9 9 9 9 9 9 0 0",
                "cpu0 " + busy0 + " 0 0 " + idle0 + " 0 0 0 0 0 0",
                "cpu1 " + busy1 + " 0 0 " + idle1 + " 0 0 0 0 0 0",
                "intr 1 2 3");
    }

    @Test
    void onlyTheAllowedCpusLinesAreSummed() {
        BitSet only1 = new BitSet();
        only1.set(1);
        assertArrayEquals(new long[] {30, 70, 1}, IdleCpus.idleAndTotal(stat(10, 5, 30, 40), only1));
        assertArrayEquals(new long[] {40, 85, 2}, IdleCpus.idleAndTotal(stat(10, 5, 30, 40), null));
    }

    /** CPU 0 idle the whole window and CPU 1 busy: one CPU idle; pinned to CPU 1 alone, none. */
    @Test
    void theIdleCpusOfAWindowAreItsIdleShareOfTheCpusCounted() throws Exception {
        Path stat = dir.resolve("stat");
        AtomicLong clock = new AtomicLong();
        BitSet only1 = new BitSet();
        only1.set(1);
        IdleCpus both = new IdleCpus(stat, null, clock::get);
        IdleCpus pinned = new IdleCpus(stat, only1, clock::get);
        Files.write(stat, stat(100, 100, 100, 100));
        assertEquals(0, both.getAsDouble(), "one reading: unknown");
        assertEquals(0, pinned.getAsDouble());
        Files.write(stat, stat(200, 100, 100, 200));
        assertEquals(0, both.getAsDouble(), 1e-9, "too soon for a second reading");
        clock.addAndGet(IdleCpus.MIN_WINDOW_NANOS);
        assertEquals(1.0, both.getAsDouble(), 1e-9);
        assertEquals(0.0, pinned.getAsDouble(), 1e-9);
        assertEquals(0, new IdleCpus(dir.resolve("missing"), null, clock::get).getAsDouble(), "no /proc: none idle");
    }
}
