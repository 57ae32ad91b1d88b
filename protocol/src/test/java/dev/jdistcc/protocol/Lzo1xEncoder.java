package dev.jdistcc.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Test oracle: a second, independent LZO1X encoder (production uses aircompressor).
 *
 * <p>Writes a raw LZO1X stream that any LZO1X decoder reads, distcc's miniLZO {@code lzo1x_decompress_safe}
 * included (checked live against the real distccd 3.4 in {@code RealDistccdAcceptsOurBytesTest}). A greedy
 * single-probe hash matcher in the spirit of LZO1X-1: it finds fewer matches than the C compressor's
 * tuned loop but is close in ratio and needs no native code or {@code sun.misc.Unsafe}. The instruction
 * set is described in {@link Lzo1xDecoder}.
 */
final class Lzo1xEncoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int HASH_BITS = 14;
    private static final int MIN_MATCH = 4;
    private static final int MAX_DISTANCE = 0xbfff;  // M4's reach
    private static final int M2_MAX_DISTANCE = 0x800;
    private static final int M3_MAX_DISTANCE = 0x4000;

    private final byte[] src;
    private byte[] out;
    private int op;
    /** Where the low two bits of the last match's literal count live, or -1 before the first match. */
    private int trailing = -1;

    private Lzo1xEncoder(byte[] src) {
        this.src = src;
        this.out = new byte[src.length + src.length / 64 + 32];
    }

    /** Compresses a non-empty input; the stream ends with the 3-byte end marker. */
    static byte[] encode(byte[] src) {
        Lzo1xEncoder e = new Lzo1xEncoder(src);
        e.run();
        return Arrays.copyOf(e.out, e.op);
    }

    private void run() {
        int n = src.length;
        int[] table = new int[1 << HASH_BITS];   // position + 1 of the last 4 bytes with this hash; 0 = none
        int ip = 0;
        int literalStart = 0;
        while (ip + MIN_MATCH <= n) {
            int word = (int) INT_LE.get(src, ip);
            int h = (word * 0x9E3779B1) >>> (32 - HASH_BITS);
            int candidate = table[h] - 1;
            table[h] = ip + 1;
            if (candidate >= 0 && ip - candidate <= MAX_DISTANCE && (int) INT_LE.get(src, candidate) == word) {
                int more = Arrays.mismatch(src, ip + MIN_MATCH, n, src, candidate + MIN_MATCH, n);
                int length = MIN_MATCH + (more < 0 ? n - ip - MIN_MATCH : more);
                literals(literalStart, ip);
                match(ip - candidate, length);
                ip += length;
                literalStart = ip;
            } else {
                // Step faster through data that does not compress, as LZO1X-1 and LZ4 do.
                ip += 1 + ((ip - literalStart) >> 6);
            }
        }
        literals(literalStart, n);
        put(0x11);   // M4 with distance 0: the end marker
        put(0);
        put(0);
    }

    private void literals(int from, int to) {
        int count = to - from;
        if (count == 0) {
            return;
        }
        if (trailing < 0) {
            // Stream start: 17 + count covers up to 238 literals in one byte.
            if (count <= 238) {
                put(17 + count);
            } else {
                put(0);
                extended(count - 18);
            }
        } else if (count <= 3) {
            out[trailing] |= (byte) count;
        } else if (count <= 18) {
            put(count - 3);
        } else {
            put(0);
            extended(count - 18);
        }
        ensure(count);
        System.arraycopy(src, from, out, op, count);
        op += count;
    }

    private void match(int distance, int length) {
        if (length <= 8 && distance <= M2_MAX_DISTANCE) {
            int d = distance - 1;
            trailing = op;
            put(((length - 1) << 5) | ((d & 7) << 2));
            put(d >>> 3);
            return;
        }
        int d;
        if (distance <= M3_MAX_DISTANCE) {
            lengthCode(32, 31, length);
            d = distance - 1;
        } else {
            int far = distance - 0x4000;
            lengthCode(16 | ((far & 0x4000) >>> 11), 7, length);
            d = far & 0x3fff;
        }
        trailing = op;
        put((d << 2) & 0xff);
        put(d >>> 6);
    }

    /** The instruction byte with the length in its low bits, or 0 there and an extended length after it. */
    private void lengthCode(int opcode, int mask, int length) {
        if (length - 2 <= mask) {
            put(opcode | (length - 2));
        } else {
            put(opcode);
            extended(length - 2 - mask);
        }
    }

    /** A value of at least 1: a zero byte per 255, then the non-zero remainder. */
    private void extended(int value) {
        while (value > 255) {
            put(0);
            value -= 255;
        }
        put(value);
    }

    private void put(int b) {
        ensure(1);
        out[op++] = (byte) b;
    }

    private void ensure(int n) {
        if (op + n > out.length) {
            out = Arrays.copyOf(out, Math.max(op + n, out.length + (out.length >> 1)));
        }
    }
}
