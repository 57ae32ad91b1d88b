package dev.jdistcc.protocol;

import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.lzo.LzoCompressor;
import io.airlift.compress.v3.lzo.LzoDecompressor;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * How bulk bodies travel. Empty plaintext is always sent as length 0 with no body, never compressed
 * (reference §1.5, the zero-length rule); callers handle that before reaching these methods.
 */
public enum Compression {
    /** Protocol 1: bodies as they are. */
    NONE,
    /** Protocols 2 and 3: raw LZO1X streams, no header and no length (miniLZO's lzo1x_1 on the C side). */
    LZO,
    /** jdistcc extension: a 4-byte big-endian plaintext length, then one LZ4 block. */
    LZ4;

    // The pure-Java LZ4 instance: no JNI library load and no Unsafe, so the client prints no JVM warnings.
    private static final LZ4Factory LZ4_FACTORY = LZ4Factory.safeInstance();

    /** Compresses a non-empty plaintext. */
    public byte[] compress(byte[] plain) {
        return switch (this) {
            case NONE -> plain;
            case LZO -> {
                LzoCompressor c = new LzoCompressor();
                byte[] out = new byte[c.maxCompressedLength(plain.length)];
                int n = c.compress(plain, 0, plain.length, out, 0, out.length);
                yield Arrays.copyOf(out, n);
            }
            case LZ4 -> {
                var c = LZ4_FACTORY.fastCompressor();
                byte[] out = new byte[4 + c.maxCompressedLength(plain.length)];
                int n = c.compress(plain, 0, plain.length, out, 4, out.length - 4);
                writeInt(out, plain.length);
                yield Arrays.copyOf(out, 4 + n);
            }
        };
    }

    /** Decompresses a non-empty body, refusing plaintext larger than {@code limits.maxDecompressed()}. */
    public byte[] decompress(byte[] body, Limits limits) throws ProtocolException {
        return switch (this) {
            case NONE -> body;
            case LZO -> decompressLzo(body, limits.maxDecompressed());
            case LZ4 -> decompressLz4(body, limits.maxDecompressed());
        };
    }

    /**
     * LZO streams carry no plaintext length. Like distcc's compress.c, start at 8x the compressed size and
     * double on overrun, but stop at the limit instead of growing without bound.
     */
    private static byte[] decompressLzo(byte[] body, long max) throws ProtocolException {
        long size = Math.min(Math.max(64L, 8L * body.length), max);
        while (true) {
            byte[] out = new byte[(int) size];
            try {
                int n = new LzoDecompressor().decompress(body, 0, body.length, out, 0, out.length);
                return n == out.length ? out : Arrays.copyOf(out, n);
            } catch (MalformedInputException | IndexOutOfBoundsException e) {
                if (size >= max) {
                    throw malformedOrTooBig("LZO", body.length, max, e);
                }
                size = Math.min(size * 2, max);
            }
        }
    }

    private static byte[] decompressLz4(byte[] body, long max) throws ProtocolException {
        if (body.length < 5) {
            throw new ProtocolException.BadCompression("LZ4 body of " + body.length + " bytes is too short", null);
        }
        long plain = ((body[0] & 0xffL) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        if (plain > max) {
            throw new ProtocolException.LimitExceeded("LZ4 plaintext", plain, max);
        }
        try {
            byte[] out = new byte[(int) plain];
            int n = LZ4_FACTORY.safeDecompressor().decompress(body, 4, body.length - 4, out, 0, out.length);
            if (n != out.length) {
                throw new ProtocolException.BadCompression("LZ4 block decoded to " + n + " bytes, header said " + plain, null);
            }
            return out;
        } catch (LZ4Exception e) {
            throw new ProtocolException.BadCompression("malformed LZ4 block: " + e.getMessage(), e);
        }
    }

    private static ProtocolException malformedOrTooBig(String algo, int in, long max, Exception e) {
        return new ProtocolException.BadCompression(
                algo + " body of " + in + " bytes is malformed or expands beyond " + max + " bytes", e);
    }

    private static void writeInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }
}
