package dev.jdistcc.fetcher;

/**
 * Bounds on what one bundle may expand to, so a small archive cannot fill the disk (a "size bomb").
 * Defaults fit clang (about 260 MB unpacked, reference §4.4) with room to spare.
 */
public record UnpackLimits(long maxUnpackedBytes, int maxEntries, long maxArchiveBytes) {
    public static final UnpackLimits DEFAULT = new UnpackLimits(2L << 30, 20_000, 1L << 30);

    public UnpackLimits {
        if (maxUnpackedBytes <= 0 || maxEntries <= 0 || maxArchiveBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
