package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * liblzo2's LZO1X-1 (the hub's and distccd's encoder when liblzo2-2 is installed, as scripts/setup-debian
 * does) writes exactly the bytes real distcc 3.4 wrote in the golden captures (its bundled miniLZO), and its
 * streams decode to the input with both the production decoder and the tests' reference decoder.
 */
class NativeLzoTest {
    private final NativeLzo lzo = NativeLzo.load();

    @Test
    void everySampleRoundTripsThroughBothDecoders() throws Exception {
        for (Map.Entry<String, byte[]> e : LzoCodecTest.samples().entrySet()) {
            byte[] plain = e.getValue();
            byte[] ours = lzo.compress(plain);
            assertArrayEquals(plain, Compression.LZO.decompress(ours, Limits.DEFAULT), e.getKey());
            assertArrayEquals(plain, Lzo1xDecoder.decode(ours, plain.length), e.getKey());
        }
    }

    @Test
    void theBodiesRealDistccWroteAreReproducedByteForByte() throws Exception {
        // distcc 3.4's client compressed the preprocessed source (DOTI), its distccd the object (DOTO)
        for (String[] c : new String[][] {{"v2-hello.request.bin", "DOTI"}, {"v2-hello.response.bin", "DOTO"},
                {"v2-compile-error.request.bin", "DOTI"}}) {
            byte[] body = body(load(c[0]), c[1]);
            byte[] plain = Compression.LZO.decompress(body, Limits.DEFAULT);
            assertArrayEquals(body, lzo.compress(plain), c[0] + " " + c[1]);
        }
    }

    private static byte[] load(String name) throws Exception {
        try (InputStream in = NativeLzoTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The body of the first {@code token} in a capture: 4 name bytes, 8 hex digits of length, the body. */
    private static byte[] body(byte[] capture, String token) {
        byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 12 <= capture.length; i++) {
            if (Arrays.equals(capture, i, i + 4, t, 0, 4)) {
                int len = Integer.parseInt(new String(capture, i + 4, 8, StandardCharsets.US_ASCII), 16);
                assertTrue(len > 0, token + " has a body");
                return Arrays.copyOfRange(capture, i + 12, i + 12 + len);
            }
        }
        throw new AssertionError("no " + token + " in the capture");
    }
}
