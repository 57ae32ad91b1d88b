package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded, seeded fuzzing: random streams and mutated captures may decode or fail, but a failure is always
 * a {@link ProtocolException} (never EOFException, IndexOutOfBounds, OutOfMemoryError or a hang).
 */
class FuzzTest {
    private static final long SEED = 20260101L;
    private static final Limits LIMITS = new Limits(1024, 1 << 16, 1 << 20, 1 << 22, 1024);
    private static final List<WireVersion> VERSIONS = RoundTripTest.VERSIONS;

    @Test
    void mutatedCapturesOnlyEverRaiseProtocolExceptions() {
        Random r = new Random(SEED);
        int decoded = 0;
        for (int i = 0; i < 4000; i++) {
            String name = Golden.CASES.get(r.nextInt(Golden.CASES.size()));
            boolean request = r.nextBoolean();
            byte[] wire = mutate(r, request ? Golden.request(name) : Golden.response(name));
            decoded += decodeAll(wire, request, Golden.version(name), "case " + i + " " + name);
        }
        assertTrue(decoded > 0, "no mutation ever decoded: the mutations are too destructive to test much");
    }

    @Test
    void randomStreamsOnlyEverRaiseProtocolExceptions() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 3000; i++) {
            byte[] wire = i % 2 == 0 ? LzoCodecTest.random(r, r.nextInt(200)) : tokenSoup(r);
            WireVersion v = VERSIONS.get(r.nextInt(VERSIONS.size()));
            decodeAll(wire, true, v, "random " + i);
            decodeAll(wire, false, v, "random " + i);
        }
    }

    @Test
    void lz4GarbageOnlyEverRaisesProtocolExceptions() {
        Random r = new Random(SEED + 2);
        byte[] valid = Compression.LZ4.compress(LzoCodecTest.text(5000));
        for (int i = 0; i < 5000; i++) {
            byte[] body = i % 2 == 0 ? LzoCodecTest.random(r, 5 + r.nextInt(100)) : LzoCodecTest.mutate(r, valid);
            try {
                Compression.LZ4.decompress(body, LIMITS);
            } catch (ProtocolException expected) {
                // fine
            } catch (Throwable t) {
                fail("LZ4 body " + i + " raised " + t, t);
            }
        }
    }

    /** Decodes as a request, or as a response to {@code v}; returns 1 when it decoded. */
    private static int decodeAll(byte[] wire, boolean request, WireVersion v, String what) {
        try {
            var reader = new PacketReader(new ByteArrayInputStream(wire), LIMITS);
            if (request) {
                Request.read(reader);
            } else {
                Response.read(reader, v);
            }
            return 1;
        } catch (ProtocolException expected) {
            return 0;
        } catch (Throwable t) {
            fail(what + " raised " + t + " on " + Arrays.toString(Arrays.copyOf(wire, Math.min(wire.length, 64))), t);
            return 0;
        }
    }

    /** Byte flips, hex-digit edits (so lengths change but stay parseable), inserts, deletes and cuts. */
    static byte[] mutate(Random r, byte[] src) {
        byte[] b = src.clone();
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = (byte) "0123456789abcdefABCDEF".charAt(r.nextInt(22));
                case 2 -> {
                    byte[] ins = LzoCodecTest.random(r, 1 + r.nextInt(16));
                    b = LzoCodecTest.concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, b.length));
                }
                case 3 -> b = LzoCodecTest.concat(Arrays.copyOf(b, at),
                        Arrays.copyOfRange(b, Math.min(b.length, at + 1 + r.nextInt(16)), b.length));
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    /** Well-formed-looking packets with random tokens, small random values and random bodies. */
    private static byte[] tokenSoup(Random r) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Token[] tokens = Token.values();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            Token t = i == 0 ? (r.nextBoolean() ? Token.DIST : Token.DONE) : tokens[r.nextInt(tokens.length)];
            long v = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(4);
                case 1 -> r.nextInt(64);
                case 2 -> 0x4A440000L | r.nextInt(4);
                default -> r.nextLong() & 0xffffffffL;
            };
            o.writeBytes(t.ascii());
            o.writeBytes(String.format("%08x", v).getBytes(StandardCharsets.US_ASCII));
            if (t.hasBody() && v < 64) {
                o.writeBytes(LzoCodecTest.random(r, (int) v));
            }
        }
        return o.toByteArray();
    }
}
