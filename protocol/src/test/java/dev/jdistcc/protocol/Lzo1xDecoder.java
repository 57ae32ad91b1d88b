package dev.jdistcc.protocol;

import java.util.Arrays;

/**
 * Test oracle: a second, independent LZO1X decoder (production uses aircompressor) to cross-check against.
 * It is also a candidate replacement for production use: no {@code sun.misc.Unsafe}, and a growing output
 * that needs no guessed size (see the report on branch h/protocol).
 *
 * <p>Decodes one raw LZO1X stream (no header, no length: what miniLZO's {@code lzo1x_1_compress} writes and
 * distcc sends, reference §1.5), written from the format's instruction set. Plain Java arrays with every
 * index checked, so a hostile stream ends in {@link ProtocolException} and never reads or writes outside
 * its buffers. The output grows as it is produced and stops at the caller's limit, so a decompression
 * bomb costs at most {@code max} bytes and never a guessed-and-doubled buffer.
 *
 * <p>Instructions, by first byte {@code t} (distances count back from the output position):
 * <ul>
 *   <li>{@code t >= 64}: M2, length {@code (t >> 5) + 1} (3-8), distance {@code 1 + ((t >> 2) & 7) + (next << 3)}
 *   <li>{@code 32 <= t < 64}: M3, length {@code (t & 31) + 2} (extended when 0), 14-bit distance + 1
 *   <li>{@code 16 <= t < 32}: M4, length {@code (t & 7) + 2} (extended when 0), distance
 *       {@code 0x4000 + ((t & 8) << 11) + 14 bits}; distance 0x4000 exactly is the end of the stream
 *   <li>{@code t < 16} after a literal run of 4 or more: a 3-byte match 2049-3072 back; after a match
 *       with 1-3 trailing literals: a 2-byte match up to 1024 back; otherwise: a literal run of
 *       {@code t + 3} bytes (extended when 0)
 * </ul>
 * The low two bits of a match's last-but-one byte give 0-3 literals that follow it. A stream may begin
 * with {@code 17 + n} followed by {@code n} literals.
 */
final class Lzo1xDecoder {
    private final byte[] in;
    private final int max;
    private int ip;
    private byte[] out;
    private int op;

    private Lzo1xDecoder(byte[] in, int max) {
        this.in = in;
        this.max = max;
        // A first guess like distcc's 8x (compress.c), but never above the limit; grows on demand.
        this.out = new byte[(int) Math.min(max, Math.max(64L, 8L * in.length))];
    }

    /** The plaintext of {@code in}, or an exception when it is malformed or would exceed {@code max} bytes. */
    static byte[] decode(byte[] in, int max) throws ProtocolException {
        Lzo1xDecoder d = new Lzo1xDecoder(in, max);
        d.run();
        return d.op == d.out.length ? d.out : Arrays.copyOf(d.out, d.op);
    }

    // Decoder states, named after what the previous instruction was.
    private static final int TOP = 0;            // after a match with no trailing literals, or at the start
    private static final int AFTER_RUN = 1;      // after a literal run of 4 or more: below 16 is a 3-byte match
    private static final int AFTER_FEW = 2;      // after 1-3 literals: the next is a match, below 16 a 2-byte one
    private static final int AFTER_MATCH = 3;    // a match was copied: its trailing literal count comes next

    private void run() throws ProtocolException {
        int state = TOP;
        if (in.length > 0 && (in[0] & 0xff) > 17) {
            int n = next() - 17;
            literals(n);
            state = n < 4 ? AFTER_FEW : AFTER_RUN;
        }
        while (true) {
            int t;
            switch (state) {
                case TOP -> {
                    t = next();
                    if (t >= 16) {
                        if (!match(t)) {
                            return;
                        }
                        state = AFTER_MATCH;
                    } else {
                        literals(t == 0 ? 18 + extended() : t + 3);
                        state = AFTER_RUN;
                    }
                }
                case AFTER_RUN, AFTER_FEW -> {
                    t = next();
                    if (t >= 16) {
                        if (!match(t)) {
                            return;
                        }
                    } else if (state == AFTER_RUN) {
                        copyMatch(0x801 + (t >> 2) + (next() << 2), 3);
                    } else {
                        copyMatch(1 + (t >> 2) + (next() << 2), 2);
                    }
                    state = AFTER_MATCH;
                }
                default -> {
                    // The low two bits of the match's last-but-one byte: 0-3 literals follow it.
                    int lits = in[ip - 2] & 3;
                    if (lits == 0) {
                        state = TOP;
                    } else {
                        literals(lits);
                        state = AFTER_FEW;
                    }
                }
            }
        }
    }

    /** An M2, M3 or M4 instruction; false at the end-of-stream marker. */
    private boolean match(int t) throws ProtocolException {
        long length;
        int distance;
        if (t >= 64) {
            length = (t >> 5) + 1;
            distance = 1 + ((t >> 2) & 7) + (next() << 3);
        } else if (t >= 32) {
            length = (t & 31) == 0 ? 33 + extended() : (t & 31) + 2;
            distance = 1 + (le16() >> 2);
        } else {
            length = (t & 7) == 0 ? 9 + extended() : (t & 7) + 2;
            int far = ((t & 8) << 11) + (le16() >> 2);
            if (far == 0) {
                end();
                return false;
            }
            distance = 0x4000 + far;
        }
        copyMatch(distance, length);
        return true;
    }

    private void end() throws ProtocolException {
        if (ip != in.length) {
            throw bad((in.length - ip) + " bytes after the end marker");
        }
    }

    private int next() throws ProtocolException {
        if (ip >= in.length) {
            throw bad("stream ends without its end marker");
        }
        return in[ip++] & 0xff;
    }

    private int le16() throws ProtocolException {
        int lo = next();
        return lo | (next() << 8);
    }

    /** LZO's run-length extension: each zero byte adds 255, the first non-zero byte ends it. */
    private long extended() throws ProtocolException {
        long n = 0;
        int b;
        while ((b = next()) == 0) {
            n += 255;
            if (n > max) {
                throw tooBig((long) op + n);
            }
        }
        return n + b;
    }

    private void literals(long n) throws ProtocolException {
        if (n > in.length - ip) {
            throw bad("literal run of " + n + " bytes overruns the stream");
        }
        ensure(n);
        System.arraycopy(in, ip, out, op, (int) n);
        ip += (int) n;
        op += (int) n;
    }

    private void copyMatch(int distance, long len) throws ProtocolException {
        if (distance > op) {
            throw bad("match reaches " + distance + " bytes back, before the start of the output");
        }
        ensure(len);
        int length = (int) len; // ensure() has bounded it by max, an int
        int from = op - distance;
        if (distance >= length) {
            System.arraycopy(out, from, out, op, length);
        } else {
            // Overlapping copy repeats the last `distance` bytes (a run).
            for (int i = 0; i < length; i++) {
                out[op + i] = out[from + i];
            }
        }
        op += length;
    }

    private void ensure(long n) throws ProtocolException {
        long need = op + n;
        if (need <= out.length) {
            return;
        }
        if (need > max) {
            throw tooBig(need);
        }
        out = Arrays.copyOf(out, (int) Math.min(max, Math.max(need, 2L * out.length)));
    }

    private ProtocolException tooBig(long n) {
        return new ProtocolException.LimitExceeded("LZO plaintext", n, max);
    }

    private static ProtocolException bad(String why) {
        return new ProtocolException.BadCompression("malformed LZO1X stream: " + why, null);
    }
}
