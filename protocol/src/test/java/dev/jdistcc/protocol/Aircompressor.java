package dev.jdistcc.protocol;

import io.airlift.compress.v3.lzo.LzoCompressor;
import io.airlift.compress.v3.lzo.LzoDecompressor;
import java.util.Arrays;

/** The independent LZO1X implementation the tests cross-check our codec with. */
final class Aircompressor {
    private Aircompressor() {
    }

    static byte[] compress(byte[] plain) {
        LzoCompressor c = new LzoCompressor();
        byte[] out = new byte[c.maxCompressedLength(plain.length)];
        return Arrays.copyOf(out, c.compress(plain, 0, plain.length, out, 0, out.length));
    }

    /** Decompresses into a buffer of exactly {@code size} bytes (the size must be known). */
    static byte[] decompress(byte[] body, int size) {
        byte[] out = new byte[size];
        int n = new LzoDecompressor().decompress(body, 0, body.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }
}
