package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Production LZO1X (aircompressor, via {@link Compression#LZO}) against the independent reference codec in the tests. */
class LzoCodecTest {
    private static final Limits LIMITS = Limits.DEFAULT;

    /** Inputs chosen to hit every instruction and length encoding: runs, text, far repeats, noise. */
    static Map<String, byte[]> samples() {
        Random r = new Random(7);
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int n : new int[] {1, 2, 3, 4, 5, 17, 18, 19, 237, 238, 239, 240, 255, 256, 273, 274, 1000}) {
            m.put("text-" + n, text(n));
            m.put("random-" + n, random(r, n));
        }
        m.put("zeros-1", new byte[1]);
        m.put("zeros-300000", new byte[300_000]);                 // one long overlapping match
        m.put("text-70000", text(70_000));                          // > 64 KiB
        m.put("random-70000", random(r, 70_000));                   // incompressible
        m.put("random-1MiB", random(r, 1 << 20));
        byte[] block = random(r, 20_000);                            // repeat at distance 20000: M4 matches
        m.put("repeat-at-20000", concat(block, block, block));
        byte[] big = random(r, 50_000);                              // beyond M4's reach: stays literal
        m.put("repeat-at-50000", concat(big, big));
        byte[] mid = random(r, 3_000);                               // distance 3000: M3
        m.put("repeat-at-3000", concat(mid, mid, text(10), mid));
        m.put("short-repeats", "abcabcabcabcxyzxyzabc1abc2abc3abcabcabcabcabc".repeat(40).getBytes(StandardCharsets.US_ASCII));
        return m;
    }

    @Test
    void productionStreamsRoundTripAndDecodeWithTheReferenceDecoder() throws Exception {
        for (var e : samples().entrySet()) {
            byte[] plain = e.getValue();
            byte[] packed = Compression.LZO.compress(plain);
            assertArrayEquals(plain, Compression.LZO.decompress(packed, LIMITS), e.getKey());
            assertArrayEquals(plain, Lzo1xDecoder.decode(packed, Integer.MAX_VALUE - 16), e.getKey() + " via reference");
        }
    }

    @Test
    void referenceEncoderStreamsDecodeWithTheProductionDecoder() throws Exception {
        for (var e : samples().entrySet()) {
            byte[] plain = e.getValue();
            byte[] packed = Lzo1xEncoder.encode(plain);
            assertArrayEquals(plain, Compression.LZO.decompress(packed, LIMITS), e.getKey());
            assertArrayEquals(plain, Lzo1xDecoder.decode(packed, Integer.MAX_VALUE - 16), e.getKey() + " reference round trip");
        }
    }

    @Test
    void incompressibleInputGrowsByAtMostDistccsWorstCase() {
        byte[] noise = random(new Random(3), 1 << 20);
        int n = noise.length;
        // compress.c sizes its buffer as n + n/64 + 16 + 3; our output must fit what a C peer would allow.
        assertTrue(Compression.LZO.compress(noise).length <= n + n / 64 + 16 + 3);
        assertTrue(Lzo1xEncoder.encode(noise).length <= n + n / 64 + 16 + 3);
    }

    @Test
    void referenceEncoderCompressesAboutAsWellAsProduction() {
        byte[] t = text(200_000);
        int ref = Lzo1xEncoder.encode(t).length;
        int prod = Compression.LZO.compress(t).length;
        assertTrue(ref < t.length / 4 && ref <= prod * 2, "reference " + ref + " vs production " + prod);
    }

    @Test
    void smallInputIsOneLiteralRunAsDistccSends() {
        // reference §1.5: "int x;\n" is 18 69 6e 74 20 78 3b 0a 11 00 00 on the wire.
        byte[] expected = {0x18, 0x69, 0x6e, 0x74, 0x20, 0x78, 0x3b, 0x0a, 0x11, 0, 0};
        byte[] plain = "int x;\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, Compression.LZO.compress(plain));
        assertArrayEquals(expected, Lzo1xEncoder.encode(plain));
    }

    @Test
    void bombStopsAtTheDecompressionLimit() throws Exception {
        byte[] bomb = lzoRun('a', 100_000);        // ~25 MB of 'a' from ~100 KB
        Limits small = new Limits(16, 1024, 1 << 20, 1 << 20, 16);
        assertThrows(ProtocolException.LimitExceeded.class, () -> Compression.LZO.decompress(bomb, small));
        assertThrows(ProtocolException.LimitExceeded.class, () -> Lzo1xDecoder.decode(bomb, 1 << 20));
        // The same stream is a valid one: with room enough it decodes to the promised run.
        byte[] plain = Compression.LZO.decompress(bomb, LIMITS);
        assertEquals(1 + 33 + 255L * 100_000 + 1, plain.length);
        assertTrue(plain[plain.length - 1] == 'a' && plain[0] == 'a');
        assertArrayEquals(plain, Lzo1xDecoder.decode(bomb, Integer.MAX_VALUE - 16));
    }

    @Test
    void smallGarbageCostsKilobytesNotDoublingsUpToTheLimit() {
        // 8 garbage bytes may expand to at most 256 * 8 + 256 bytes, so that is all the decoder may try.
        byte[] garbage = {0x18, 'i', 'n', 't', ' ', 'x', ';', '\n'};
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThrows(ProtocolException.BadCompression.class, () -> Compression.LZO.decompress(garbage, LIMITS));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, "allocated " + allocated);
    }

    @Test
    void malformedStreamsAreBadCompression() {
        byte[] ok = Compression.LZO.compress(text(5000));
        byte[][] bad = {
            {0x18, 'i', 'n', 't', ' ', 'x', ';', '\n'},              // no end marker
            {0x12, 'a', 0x40, 0x10, 0x11, 0, 0},                     // M2 reaching before the output
            {(byte) 0xff, 1, 2},                                      // literal run longer than the stream
            {0x18, 'i', 'n', 't', ' ', 'x', ';', '\n', 0x11, 0, 0, 0}, // a byte after the end marker (miniLZO:
            {0x11, 0, 0, 0},                                         //   LZO_E_INPUT_NOT_CONSUMED, an error in distcc)
            java.util.Arrays.copyOf(ok, ok.length - 1),              // cut inside the end marker
        };
        for (byte[] b : bad) {
            assertThrows(ProtocolException.BadCompression.class, () -> Compression.LZO.decompress(b, LIMITS),
                    () -> java.util.HexFormat.of().formatHex(b));
            assertThrows(ProtocolException.BadCompression.class, () -> Lzo1xDecoder.decode(b, 1 << 20),
                    () -> "reference: " + java.util.HexFormat.of().formatHex(b));
        }
    }

    @Test
    void emptyBodyIsEmptyPlaintextNotAnError() throws Exception {
        assertEquals(0, Compression.LZO.decompress(new byte[0], LIMITS).length);
        assertEquals(0, Compression.LZ4.decompress(new byte[0], LIMITS).length);
    }

    @Test
    void garbageAndMutationsOnlyEverRaiseProtocolExceptionsAndBothDecodersAgree() {
        Random r = new Random(42);
        byte[] valid = Compression.LZO.compress(text(4000));
        byte[] validRef = Lzo1xEncoder.encode(text(4000));
        Limits limits = new Limits(16, 1024, 1 << 20, 1 << 18, 16);
        int decoded = 0;
        for (int i = 0; i < 8_000; i++) {
            byte[] in = switch (i % 3) {
                case 0 -> random(r, 1 + r.nextInt(80));
                case 1 -> mutate(r, valid);
                default -> mutate(r, validRef);
            };
            byte[] prod = decodeOrNull(() -> Compression.LZO.decompress(in, limits), "production", i);
            byte[] ref = decodeOrNull(() -> Lzo1xDecoder.decode(in, 1 << 18), "reference", i);
            if (ref != null) {
                decoded++;
                // What the strict reference accepts, production accepts too, with the same result.
                assertArrayEquals(ref, prod, "input " + i);
            }
        }
        assertTrue(decoded > 100, "mutations rarely produced a decodable stream (" + decoded + "); the test lost its teeth");
    }

    @Test
    void aircompressorRaisesOnlyMalformedInputOnGarbage() {
        // The library's own contract, checked because Compression.decompress relies on it (it maps anything
        // else to BadCompression as well, but a different exception would hint at a bounds bug).
        Random r = new Random(5);
        byte[] valid = Aircompressor.compress(text(4000));
        for (int i = 0; i < 20_000; i++) {
            byte[] in = i % 2 == 0 ? random(r, 1 + r.nextInt(80)) : mutate(r, valid);
            try {
                Aircompressor.decompress(in, 1 << 14);
            } catch (io.airlift.compress.v3.MalformedInputException expected) {
                // fine
            } catch (Throwable t) {
                fail("aircompressor raised " + t + " on input " + i, t);
            }
        }
    }

    interface Decode {
        byte[] run() throws Exception;
    }

    private static byte[] decodeOrNull(Decode d, String who, int i) {
        try {
            return d.run();
        } catch (ProtocolException expected) {
            return null;
        } catch (Throwable t) {
            fail(who + " raised " + t + " on input " + i, t);
            return null;
        }
    }

    // ---- helpers shared with other tests ----

    static byte[] text(int n) {
        String s = "int main(void) { return printf(\"%d\\n\", answer * 42); } /* lorem ipsum */\n";
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) s.charAt((i * 7 + i / 97) % s.length());
        }
        return b;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] mutate(Random r, byte[] src) {
        byte[] b = src.clone();
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return r.nextInt(4) == 0 ? java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)) : b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /**
     * A hand-made stream: one literal {@code c}, then an M3 match at distance 1 whose extended length has
     * {@code zeros} zero bytes, a final literal-free end. Expands to 1 + 33 + 255 * zeros + 1 bytes.
     */
    static byte[] lzoRun(char c, int zeros) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(17 + 1);
        o.write(c);
        o.write(32);                 // M3, extended length
        for (int i = 0; i < zeros; i++) {
            o.write(0);
        }
        o.write(1);                  // length = 33 + 255 * zeros + 1
        o.write(0);                  // distance 1, no trailing literals
        o.write(0);
        o.writeBytes(new byte[] {0x11, 0, 0});
        return o.toByteArray();
    }
}
