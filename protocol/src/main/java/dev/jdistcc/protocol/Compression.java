package dev.jdistcc.protocol;

import io.airlift.compress.v3.lzo.LzoCompressor;
import io.airlift.compress.v3.lzo.LzoDecompressor;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
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
     * Protocols 2 and 3: raw LZO1X streams, no header and no length (miniLZO's lzo1x_1 on the C side), via
     * aircompressor. Checked live against the real distccd 3.4 in both directions (RealDistccdAcceptsOurBytesTest).
     * Where the process has native access and liblzo2 is installed, compression runs in liblzo2 instead
     * ({@link NativeLzo}: same streams, C speed).
     */
    LZO,
    /** jdistcc extension: a 4-byte big-endian plaintext length, then one LZ4 block. */
    LZ4;

    // Decompression always uses the pure-Java instance: it reads untrusted bytes, and it needs no JNI library
    // load and no Unsafe, so the plain client prints no JVM warnings.
    private static final LZ4Factory LZ4_FACTORY = LZ4Factory.safeInstance();
    private static final LZ4Compressor LZ4_COMPRESSOR = lz4Compressor();
    private static final NativeLzo NATIVE_LZO = loadNativeLzo();
    private static final long MAX_LZ4_RATIO = 256;
    private static final long MAX_LZO_RATIO = 256;

    /**
     * The compressor for our own plaintext: lz4-java's JNI build (about 2.5x the pure-Java one's speed on a
     * large .i) when the process was started with native access enabled, as the resident hub and distccd
     * launchers are, so it loads without a JVM warning; otherwise, or if the library cannot load, pure Java.
     * Both write standard LZ4 blocks.
     */
    private static LZ4Compressor lz4Compressor() {
        if (Compression.class.getModule().isNativeAccessEnabled()) {
            try {
                return LZ4Factory.nativeInstance().fastCompressor();
            } catch (RuntimeException | LinkageError e) {
                // no JNI build for this platform, or no writable temp dir to unpack it into: use pure Java
            }
        }
        return LZ4_FACTORY.fastCompressor();
    }

    /** liblzo2 where the process has native access (the hub, distccd) and the library is installed; else null. */
    private static NativeLzo loadNativeLzo() {
        if (Compression.class.getModule().isNativeAccessEnabled()) {
            try {
                return NativeLzo.load();
            } catch (UnsupportedOperationException | LinkageError | IllegalArgumentException e) {
                // not installed, or not this platform: aircompressor writes the same format
            }
        }
        return null;
    }

    /** Whether LZO compression runs in the system's liblzo2 in this process (else in Java). */
    public static boolean nativeLzo() {
        return NATIVE_LZO != null;
    }

    /** Compresses a non-empty plaintext. */
    public byte[] compress(byte[] plain) {
        return switch (this) {
            case NONE -> plain;
            case LZO -> {
                if (NATIVE_LZO != null) {
                    yield NATIVE_LZO.compress(plain);
                }
                LzoCompressor c = new LzoCompressor();
                byte[] out = new byte[c.maxCompressedLength(plain.length)];
                int n = c.compress(plain, 0, plain.length, out, 0, out.length);
                yield Arrays.copyOf(out, n);
            }
            case LZ4 -> {
                var c = LZ4_COMPRESSOR;
                byte[] out = new byte[4 + c.maxCompressedLength(plain.length)];
                int n = c.compress(plain, 0, plain.length, out, 4, out.length - 4);
                writeInt(out, plain.length);
                yield Arrays.copyOf(out, 4 + n);
            }
        };
    }

    /**
     * Decompresses a body, refusing plaintext larger than {@code limits.maxDecompressed()}. An empty body is
     * the empty plaintext in every compression (the zero-length rule).
     */
    public byte[] decompress(byte[] body, Limits limits) throws ProtocolException {
        if (body.length == 0) {
            return body;
        }
        return switch (this) {
            case NONE -> body;
            case LZO -> decompressLzo(body, limits.maxDecompressed());
            case LZ4 -> decompressLz4(body, limits.maxDecompressed());
        };
    }

    /**
     * LZO streams carry no plaintext length. Like distcc's compress.c, start at 8x the compressed size and
     * double when the output does not fit, but never past what the body can hold or the limit allows.
     * aircompressor reports overrun and corruption alike (MalformedInputException), so:
     * <ul>
     *   <li>one LZO1X input byte yields at most 255 output bytes (each zero byte of a run length adds 255),
     *       so a body that does not fit in {@code 256 * length + 256} bytes is corrupt; a 10-byte garbage
     *       body thus costs kilobytes, not doublings up to the limit;
     *   <li>a body that does not fit in {@code limits.maxDecompressed()} is refused as LimitExceeded (it may
     *       also be corrupt: the decoder cannot tell).
     * </ul>
     */
    private static byte[] decompressLzo(byte[] body, long max) throws ProtocolException {
        long ceiling = Math.min(max, MAX_LZO_RATIO * body.length + 256);
        long size = Math.min(Math.max(64L, 8L * body.length), ceiling);
        while (true) {
            byte[] out = new byte[(int) size];
            try {
                int n = new LzoDecompressor().decompress(body, 0, body.length, out, 0, out.length);
                return n == out.length ? out : Arrays.copyOf(out, n);
            } catch (RuntimeException e) {
                // The library's contract is MalformedInputException (a RuntimeException; fuzzed in LzoCodecTest),
                // but at a trust boundary anything it throws means "bad body", never a crash.
                if (size < ceiling) {
                    size = Math.min(size * 2, ceiling);
                } else if (ceiling == max && max < MAX_LZO_RATIO * body.length + 256) {
                    throw new ProtocolException.LimitExceeded("LZO body of " + body.length
                            + " bytes expands beyond the limit of " + max + " bytes (or is corrupt)");
                } else {
                    throw new ProtocolException.BadCompression("malformed LZO body of " + body.length + " bytes", e);
                }
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
