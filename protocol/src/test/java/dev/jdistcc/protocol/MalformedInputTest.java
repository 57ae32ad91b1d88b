package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Broken and hostile streams end in the right {@link ProtocolException}, never anything else. */
class MalformedInputTest {
    static final List<String> CASES = Golden.CASES;
    private static final String HELLO_HEAD = "DIST00000001ARGC00000005ARGV00000003gccARGV00000002-cARGV00000003t.c"
            + "ARGV00000002-oARGV00000003t.o";

    @ParameterizedTest
    @FieldSource("CASES")
    void captureCutAtEveryOffsetIsTruncated(String name) {
        WireVersion v = Golden.version(name);
        byte[] req = Golden.request(name);
        byte[] resp = Golden.response(name);
        for (int k = 0; k < req.length; k++) {
            byte[] cut = Arrays.copyOf(req, k);
            expect(ProtocolException.Truncated.class, () -> Golden.decodeRequest(cut, Limits.DEFAULT), name + " request @" + k);
        }
        for (int k = 0; k < resp.length; k++) {
            byte[] cut = Arrays.copyOf(resp, k);
            expect(ProtocolException.Truncated.class, () -> Golden.decodeResponse(cut, v, Limits.DEFAULT), name + " response @" + k);
        }
    }

    @Test
    void truncatedDotiIsProtocolError() {
        byte[] wire = ascii(HELLO_HEAD + "DOTI00000007int");
        var e = assertThrows(ProtocolException.Truncated.class, () -> Golden.decodeRequest(wire, Limits.DEFAULT));
        assertTrue(e.getMessage().contains("DOTI body"), e.getMessage());
    }

    @Test
    void nonHexHeaderValueIsBadValue() {
        // strtoul would take " 0000001" or "+0000001"; we accept exactly [0-9a-fA-F]{8} (reference §1.1).
        for (String dist : List.of("DIST0000000g", "DIST 0000001", "DIST+0000001", "DIST-0000001", "DIST0x000001", "DIST\0\0\0\0\0\0\0\1")) {
            expect(ProtocolException.BadValue.class, () -> Golden.decodeRequest(ascii(dist), Limits.DEFAULT), dist);
        }
    }

    @Test
    void unknownOrMisplacedTokenIsDerailment() {
        for (String s : List.of("XXXX00000001", "DIST00000001ARGV00000003gcc", "DIST00000001XXXX00000005",
                "dist00000001", HELLO_HEAD + "NFIL00000000", "DIST00000003ARGC00000001")) {
            expect(ProtocolException.UnexpectedToken.class, () -> Golden.decodeRequest(ascii(s), Limits.DEFAULT), s);
        }
        expect(ProtocolException.UnexpectedToken.class,
                () -> Golden.decodeResponse(ascii("DONE00000001SERR00000000"), WireVersion.V1, Limits.DEFAULT), "STAT missing");
    }

    @Test
    void unsupportedVersionsAreRefused() {
        for (String v : List.of("00000004", "ffffffff", "4a440000", "4a440004", "4a450001", "80000001")) {
            expect(ProtocolException.UnsupportedVersion.class,
                    () -> Golden.decodeRequest(ascii("DIST" + v + "ARGC00000001"), Limits.DEFAULT), v);
        }
    }

    @Test
    void argcZeroIsBadValue() {
        expect(ProtocolException.BadValue.class, () -> Golden.decodeRequest(ascii("DIST00000001ARGC00000000"), Limits.DEFAULT), "ARGC 0");
    }

    @Test
    void hugeCountsAndLengthsAreRefusedBeforeReadingOrAllocating() {
        // Each header is followed by an endless stream: only a decoder that refuses from the header alone returns.
        List<String> hostileRequests = List.of(
                "DIST00000001ARGCffffffff", "DIST00000001ARGCFFFFFFFF", "DIST00000001ARGC00010001",
                "DIST00000001ARGC00000001ARGVffffffff", "DIST00000001ARGC00000001ARGV00100001",
                "DIST00000001ARGC00000001ARGV00000001xDOTIffffffff",
                "DIST00000003CDIRffffffff",
                "DIST00000003CDIR00000001/ARGC00000001ARGV00000001xNFILffffffff",
                "DIST00000003CDIR00000001/ARGC00000001ARGV00000001xNFIL00000001NAMEffffffff",
                "DIST00000003CDIR00000001/ARGC00000001ARGV00000001xNFIL00000001NAME00000001aFILEffffffff",
                "DIST00000003CDIR00000001/ARGC00000001ARGV00000001xNFIL00000001NAME00000001aLINKffffffff",
                "DIST4a440002TOOLffffffff");
        for (String s : hostileRequests) {
            long allocated = allocatedBy(() -> expect(ProtocolException.LimitExceeded.class,
                    () -> Request.read(new PacketReader(endless(s), Limits.DEFAULT)), s));
            assertTrue(allocated < 1 << 20, s + " allocated " + allocated + " bytes");
        }
        for (String s : List.of("DONE00000001STAT00000000SERRffffffff", "DONE00000001STAT00000000SERR00000000SOUTffffffff",
                "DONE00000001STAT00000000SERR00000000SOUT00000000DOTOffffffff")) {
            expect(ProtocolException.LimitExceeded.class,
                    () -> Response.read(new PacketReader(endless(s), Limits.DEFAULT), WireVersion.V1), s);
        }
    }

    @Test
    void lyingLengthBelowTheLimitAllocatesOnlyWhatArrives() {
        // 0x3fffffff is within the default 1 GiB body limit, but only 3 bytes follow. A buffered stream, as a
        // socket adapter would pass, uses InputStream's chunked readNBytes (ByteArrayInputStream has its own).
        byte[] wire = ascii("DIST00000001ARGC00000001ARGV00000001xDOTI3fffffffint");
        long allocated = allocatedBy(() -> expect(ProtocolException.Truncated.class, () -> Request.read(
                new PacketReader(new BufferedInputStream(new ByteArrayInputStream(wire)), Limits.DEFAULT)), "lying DOTI"));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void lzoAndLz4BombsStopAtTheDecompressionLimit() throws IOException {
        Limits small = new Limits(16, 1024, 1 << 20, 1 << 20, 16);
        byte[] lzoBomb = LzoCodecTest.lzoRun('x', 20_000);          // ~5 MB of 'x'
        byte[] v2 = GoldenCaptureTest.encode(w -> {
            Request.writeHeader(w, RequestHeader.of(WireVersion.V2, List.of("gcc", "-c", "t.c", "-o", "t.o")));
            w.writeRaw(Token.DOTI, lzoBomb);
        });
        expect(ProtocolException.LimitExceeded.class, () -> Golden.decodeRequest(v2, small), "LZO bomb");
        byte[] lz4Bomb = Compression.LZ4.compress(new byte[5 << 20]);
        var ext = WireVersion.extension(WireVersion.FEATURE_LZ4);
        byte[] resp = GoldenCaptureTest.encode(w -> {
            w.writeValue(Token.DONE, ext.value());
            w.writeValue(Token.STAT, 0);
            w.writeRaw(Token.SERR, lz4Bomb);
        });
        expect(ProtocolException.LimitExceeded.class, () -> Golden.decodeResponse(resp, ext, small), "LZ4 bomb");
        // An LZ4 header promising far more than its block can hold is refused without allocating it.
        byte[] liar = {0x3f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x10, 'a'};
        long allocated = allocatedBy(() -> expect(ProtocolException.BadCompression.class,
                () -> Compression.LZ4.decompress(liar, Limits.DEFAULT), "LZ4 liar"));
        assertTrue(allocated < 1 << 20, "allocated " + allocated);
    }

    @Test
    void manyArgumentsEachWithinLimitsAreRefusedOnceTheMessageBudgetIsSpent() {
        Limits budget = new Limits(65_536, 1 << 20, 1 << 20, 1 << 20, 1024, 100_000);
        StringBuilder s = new StringBuilder("DIST00000001ARGC00001000");
        String arg = "x".repeat(1000);
        for (int i = 0; i < 0x1000; i++) {
            s.append("ARGV000003e8").append(arg);
        }
        expect(ProtocolException.LimitExceeded.class, () -> Golden.decodeRequest(ascii(s.toString()), budget), "argv flood");
    }

    @Test
    void manyFilesAndDecompressedBodiesShareTheMessageBudget() throws IOException {
        Limits budget = new Limits(16, 1 << 20, 1 << 20, 1 << 20, 1024, 1 << 20);
        byte[] half = LzoCodecTest.text(600_000);
        // v3: two files of 600 KB, each within every per-item limit, together over the 1 MiB budget.
        var files = List.<SourceInput.FileEntry>of(new SourceInput.FileEntry.RegularFile("/a", half),
                new SourceInput.FileEntry.RegularFile("/b", half));
        byte[] v3 = GoldenCaptureTest.encode(new Request(new RequestHeader(WireVersion.V3, null, "/", List.of("gcc")),
                new SourceInput.FileTree(files))::write);
        expect(ProtocolException.LimitExceeded.class, () -> Golden.decodeRequest(v3, budget), "file flood");
        // Response: SERR and SOUT of 600 KB each.
        byte[] resp = GoldenCaptureTest.encode(new Response(WireVersion.V2, 0, half, half, null, null)::write);
        expect(ProtocolException.LimitExceeded.class, () -> Golden.decodeResponse(resp, WireVersion.V2, budget), "SERR+SOUT");
        // Each alone fits.
        Golden.decodeResponse(GoldenCaptureTest.encode(new Response(WireVersion.V2, 0, half, null, null, null)::write),
                WireVersion.V2, budget);
    }

    @Test
    void failedCompileThatAlsoSendsAnObjectIsBadValue() {
        byte[] wire = ascii("DONE00000001STAT00000100SERR00000000SOUT00000000DOTO00000003abc");
        expect(ProtocolException.BadValue.class, () -> Golden.decodeResponse(wire, WireVersion.V1, Limits.DEFAULT), "DOTO on failure");
    }

    @Test
    void corruptLzoBodyIsBadCompression() {
        byte[] wire = ascii("DIST00000002ARGC00000001ARGV00000001xDOTI00000004\u0018abc");
        expect(ProtocolException.BadCompression.class, () -> Golden.decodeRequest(wire, Limits.DEFAULT), "bad LZO");
    }

    // ---- helpers ----

    static void expect(Class<? extends ProtocolException> type, Executable decode, String what) {
        Throwable thrown = null;
        try {
            decode.execute();
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) {
            fail(what + ": decoded without error");
        }
        if (!type.isInstance(thrown)) {
            fail(what + ": expected " + type.getSimpleName() + " but got " + thrown, thrown);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The header bytes, then zeros forever. */
    private static InputStream endless(String head) {
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(ascii(head)), zeros);
    }

    private static long allocatedBy(Runnable r) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void allocationProbeSeesLargeAllocations() {
        // Guards the probe above: it must notice a real 4 MiB allocation.
        long allocated = allocatedBy(() -> assertEquals(4 << 20, new byte[4 << 20].length));
        assertTrue(allocated >= 4 << 20, "probe saw " + allocated);
    }
}
