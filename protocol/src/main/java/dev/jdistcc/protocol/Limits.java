package dev.jdistcc.protocol;

/**
 * Bounds every decoder checks before allocating, so a hostile or broken peer gets a
 * {@link ProtocolException.LimitExceeded} instead of an out-of-memory error.
 *
 * @param maxArgc            most argv elements in one request
 * @param maxStringBytes     longest ARGV, CDIR, NAME, LINK, TOOL or TSRC string
 * @param maxBodyBytes       longest body on the wire (DOTI, FILE, SERR, SOUT, DOTO, DOTD)
 * @param maxDecompressed    largest plaintext a compressed body may expand to
 * @param maxFiles           most NFIL entries in one protocol-3 request
 * @param maxMessageBytes    most bytes of strings and (decompressed) bodies one {@link PacketReader} returns in
 *                           all: without it 65536 arguments of 1 MiB, or 200000 files, would each pass the
 *                           per-item limits and together exhaust the heap
 */
public record Limits(int maxArgc, int maxStringBytes, long maxBodyBytes, long maxDecompressed, int maxFiles,
        long maxMessageBytes) {

    /** Generous for real builds (objects of ~200 MB occur, distcc #533) yet far from exhausting a JVM heap. */
    public static final Limits DEFAULT = new Limits(65_536, 1 << 20, 1L << 30, 1L << 30, 200_000, 2L << 30);

    public Limits {
        if (maxArgc < 1 || maxStringBytes < 1 || maxBodyBytes < 1 || maxDecompressed < 1 || maxFiles < 0
                || maxMessageBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        // Java arrays are int-indexed.
        maxBodyBytes = Math.min(maxBodyBytes, Integer.MAX_VALUE - 16);
        maxDecompressed = Math.min(maxDecompressed, Integer.MAX_VALUE - 16);
    }

    /** Per-item limits only; the whole message may hold twice the largest body. */
    public Limits(int maxArgc, int maxStringBytes, long maxBodyBytes, long maxDecompressed, int maxFiles) {
        this(maxArgc, maxStringBytes, maxBodyBytes, maxDecompressed, maxFiles,
                2 * Math.max(Math.min(maxBodyBytes, Integer.MAX_VALUE), Math.min(maxDecompressed, Integer.MAX_VALUE)));
    }

    /** The same limits with another decompression bound (used for what is left of the message budget). */
    Limits withMaxDecompressed(long max) {
        return new Limits(maxArgc, maxStringBytes, maxBodyBytes, max, maxFiles, maxMessageBytes);
    }
}
