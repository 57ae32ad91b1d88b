package dev.jdistcc.protocol;

/**
 * The value of the {@code DIST} packet, which fixes compression and where cpp runs for the whole job
 * (reference §1.3: no negotiation; the server echoes it in {@code DONE}).
 *
 * <p>Stock values are 1 (plain), 2 (LZO) and 3 (LZO, server-side cpp). jdistcc peers may also send an
 * extension value: {@link #EXTENSION_MAGIC} in the upper 16 bits and feature bits below. distccd 3.4
 * drops any {@code DIST} above 3 without answering, so a client that sends an extension to a stock
 * server sees "no answer" and falls back, never a wrong result. New features take new bits.
 */
public record WireVersion(int value) {

    /** "JD" in the upper half of the DIST value marks a jdistcc extension request. */
    public static final int EXTENSION_MAGIC = 0x4A44_0000;
    /** Bodies are LZ4-compressed (client-side cpp, as in protocol 2). */
    public static final int FEATURE_LZ4 = 0x1;
    /** After DIST the request carries TOOL (toolchain digest) and TSRC (where to fetch it). */
    public static final int FEATURE_TOOLCHAIN = 0x2;
    private static final int KNOWN_FEATURES = FEATURE_LZ4 | FEATURE_TOOLCHAIN;

    public static final WireVersion V1 = new WireVersion(1);
    public static final WireVersion V2 = new WireVersion(2);
    public static final WireVersion V3 = new WireVersion(3);

    /** An extension version with the given feature bits. */
    public static WireVersion extension(int features) {
        if ((features & ~KNOWN_FEATURES) != 0 || features == 0) {
            throw new IllegalArgumentException("unknown feature bits " + Integer.toHexString(features));
        }
        return new WireVersion(EXTENSION_MAGIC | features);
    }

    /**
     * Validates a received DIST value. Like distccd 3.4, 0 is accepted and behaves as version 1
     * (reference §1.3 quirk); anything else above 3 must be a well-formed extension.
     */
    public static WireVersion parse(long value) throws ProtocolException {
        if (value >= 0 && value <= 3) {
            return new WireVersion((int) value);
        }
        int v = (int) value;
        if (value == (v & 0xffff_ffffL) && (v & 0xffff_0000) == EXTENSION_MAGIC
                && (v & 0xffff & ~KNOWN_FEATURES) == 0 && (v & 0xffff) != 0) {
            return new WireVersion(v);
        }
        throw new ProtocolException.UnsupportedVersion("unsupported protocol version 0x" + Long.toHexString(value));
    }

    public boolean isExtension() {
        return (value & 0xffff_0000) == EXTENSION_MAGIC;
    }

    public boolean has(int feature) {
        return isExtension() && (value & feature) != 0;
    }

    public Compression compression() {
        if (isExtension()) {
            return has(FEATURE_LZ4) ? Compression.LZ4 : Compression.NONE;
        }
        return value >= 2 ? Compression.LZO : Compression.NONE;
    }

    /** Protocol 3: the client sends its include tree and the server preprocesses. */
    public boolean serverCpp() {
        return value == 3;
    }

    @Override
    public String toString() {
        return isExtension() ? "jdistcc-ext(0x" + Integer.toHexString(value & 0xffff) + ")" : Integer.toString(value);
    }
}
