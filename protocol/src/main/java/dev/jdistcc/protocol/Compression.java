package dev.jdistcc.protocol;

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
    /**
     * Protocols 2 and 3: raw LZO1X streams, no header and no length (miniLZO's lzo1x_1 on the C side).
     * Our own safe-Java codec ({@link Lzo1xEncoder}, {@link Lzo1xDecoder}): the available Java LZO library
     * (aircompressor) reads memory through {@code sun.misc.Unsafe}, which JDK 25 reports with a warning on
     * stderr at first use and which trusts its own bounds checks against hostile input.
     */
    LZO,
    /** jdistcc extension: a 4-byte big-endian plaintext length, then one LZ4 block. */
    LZ4;

    // The pure-Java LZ4 instance: no JNI library load and no Unsafe, so the client prints no JVM warnings.
    private static final LZ4Factory LZ4_FACTORY = LZ4Factory.safeInstance();
    private static final long MAX_LZ4_RATIO = 256;

    /** Compresses a non-empty plaintext. */
    public byte[] compress(byte[] plain) {
        return switch (this) {
            case NONE -> plain;
            case LZO -> Lzo1xEncoder.encode(plain);
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
            // LZO streams carry no plaintext length: the decoder grows its output up to the limit.
            case LZO -> Lzo1xDecoder.decode(body, (int) limits.maxDecompressed());
            case LZ4 -> decompressLz4(body, limits.maxDecompressed());
        };
    }

    private static byte[] decompressLz4(byte[] body, long max) throws ProtocolException {
        if (body.length < 5) {
            throw new ProtocolException.BadCompression("LZ4 body of " + body.length + " bytes is too short", null);
        }
        long plain = ((body[0] & 0xffL) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        if (plain > max) {
            throw new ProtocolException.LimitExceeded("LZ4 plaintext", plain, max);
        }
        // One LZ4 input byte yields at most 255 output bytes (run-length bytes add 255 each), so a header
        // promising more is a lie: refuse it before allocating what it asks for.
        if (plain > MAX_LZ4_RATIO * (body.length - 4L) + 64) {
            throw new ProtocolException.BadCompression(
                    "LZ4 header promises " + plain + " bytes from a " + (body.length - 4) + "-byte block", null);
        }
        try {
            byte[] out = new byte[(int) plain];
            int n = LZ4_FACTORY.safeDecompressor().decompress(body, 4, body.length - 4, out, 0, out.length);
            if (n != out.length) {
                throw new ProtocolException.BadCompression("LZ4 block decoded to " + n + " bytes, header said " + plain, null);
            }
            return out;
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
            // The safe (pure-Java) decompressor reports bad blocks as LZ4Exception; index errors are mapped too
            // so that a hostile body can only ever produce a ProtocolException.
            throw new ProtocolException.BadCompression("malformed LZ4 block: " + e.getMessage(), e);
        }
    }

    private static void writeInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }
}
