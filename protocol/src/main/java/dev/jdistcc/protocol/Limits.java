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
 */
public record Limits(int maxArgc, int maxStringBytes, long maxBodyBytes, long maxDecompressed, int maxFiles) {

    /** Generous for real builds (objects of ~200 MB occur, distcc #533) yet far from exhausting a JVM heap. */
    public static final Limits DEFAULT = new Limits(65_536, 1 << 20, 1L << 30, 1L << 30, 200_000);

    public Limits {
        if (maxArgc < 1 || maxStringBytes < 1 || maxBodyBytes < 1 || maxDecompressed < 1 || maxFiles < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        // Java arrays are int-indexed.
        maxBodyBytes = Math.min(maxBodyBytes, Integer.MAX_VALUE - 16);
        maxDecompressed = Math.min(maxDecompressed, Integer.MAX_VALUE - 16);
    }
}
