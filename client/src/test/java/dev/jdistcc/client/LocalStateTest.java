package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock-file and backoff-file names and semantics, and the monitor record layout (reference §2.9, §2.10, §5). */
class LocalStateTest {
    static final HostSpec.Tcp TCP = new HostSpec.Tcp("127.0.0.1:3701", "127.0.0.1", 3701, 2, HostSpec.HostOptions.NONE);
    static final HostSpec.Ssh SSH = new HostSpec.Ssh("@box", null, "box", null, 4, HostSpec.HostOptions.NONE);

    @Test
    void lockFileNamesAreDistccs() {
        assertEquals("cpu_localhost_3", SlotLocks.fileName(new HostSpec.Local("localhost", 4), 3));
        assertEquals("cpu_tcp_127.0.0.1_3701_0", SlotLocks.fileName(TCP, 0));
        assertEquals("cpu_ssh_box_1", SlotLocks.fileName(SSH, 1));
        assertEquals("backoff_tcp_127.0.0.1_3701_0", Backoff.fileName(TCP));
        assertEquals("backoff_ssh_box_0", Backoff.fileName(SSH));
    }

    @Test
    void slotsFillBreadthFirstAndAHeldSlotIsBusy(@TempDir Path dir) throws Exception {
        SlotLocks locks = new SlotLocks(dir);
        HostSpec.Tcp other = new HostSpec.Tcp("b", "b", 3632, 1, HostSpec.HostOptions.NONE);
        try (var a = locks.tryAny(List.of(TCP, other)); var b = locks.tryAny(List.of(TCP, other));
             var c = locks.tryAny(List.of(TCP, other))) {
            assertEquals("cpu_tcp_127.0.0.1_3701_0", SlotLocks.fileName(a.host(), a.slot()));
            assertEquals("cpu_tcp_b_3632_0", SlotLocks.fileName(b.host(), b.slot()));
            assertEquals("cpu_tcp_127.0.0.1_3701_1", SlotLocks.fileName(c.host(), c.slot()));
            assertNull(locks.tryAny(List.of(TCP, other)), "every slot is taken");
        }
        assertNotNull(locks.tryLock(TCP, 0), "closing a lease releases it");
    }

    @Test
    void backoffSkipsAMarkedHostForThePeriodAndSuccessClearsIt(@TempDir Path dir) throws Exception {
        Backoff b = new Backoff(dir, Duration.ofSeconds(60));
        b.mark(TCP);
        assertEquals(1, Files.size(dir.resolve("backoff_tcp_127.0.0.1_3701_0")));
        assertTrue(b.inBackoff(TCP, Instant.now()));
        assertEquals(List.of(SSH), b.usable(List.of(TCP, SSH), Instant.now()));
        Files.setLastModifiedTime(dir.resolve(Backoff.fileName(TCP)), FileTime.from(Instant.now().minusSeconds(61)));
        assertFalse(b.inBackoff(TCP, Instant.now()), "the period is over");
        b.mark(TCP);
        b.clear(TCP);
        assertFalse(b.inBackoff(TCP, Instant.now()));
    }

    @Test
    void zeroBackoffPeriodNeitherMarksNorChecks(@TempDir Path dir) throws Exception {
        Backoff b = new Backoff(dir, Duration.ZERO);
        b.mark(TCP);
        assertFalse(Files.exists(dir.resolve(Backoff.fileName(TCP))));
        new Backoff(dir, Duration.ofSeconds(60)).mark(TCP);
        assertFalse(b.inBackoff(TCP, Instant.now()));
    }

    @Test
    void stateRecordIs296LittleEndianBytes(@TempDir Path dir) throws Exception {
        try (StateFile s = new StateFile(dir, 1234)) {
            s.where("src/big.c", "127.0.0.1", 3);
            s.phase(StateFile.Phase.COMPILE);
            byte[] raw = Files.readAllBytes(dir.resolve("binstate_1234"));
            assertEquals(296, raw.length);
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(296, b.getLong(0));
            assertArrayEquals(new byte[] {0, 0x48, 0x49, 0x44, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(raw, 8, 16));
            assertEquals(1234, b.getLong(16));
            assertEquals("big.c", new String(raw, 24, 5));
            assertEquals(0, raw[29]);
            assertEquals("127.0.0.1", new String(raw, 152, 9));
            assertEquals(3, b.getInt(280));
            assertEquals(5, b.getInt(284));
        }
        assertFalse(Files.exists(dir.resolve("binstate_1234")), "deleted when the job ends");
    }

    @Test
    void outputsAppearByRenameAndDevNullIsWrittenInPlace(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("x.o");
        Files.writeString(target, "old");
        OutputFiles.write(target, "new object".getBytes());
        assertEquals("new object", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        OutputFiles.write(Path.of("/dev/null"), "x".getBytes());
        assertTrue(Files.exists(Path.of("/dev/null")));
    }
}
