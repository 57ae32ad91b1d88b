package dev.jdistcc.hub.http;

/** One byte range of an HTTP Range request (RFC 9110 §14); multi-range requests are served whole. */
record ByteRange(long start, long length) {
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /**
     * The range to serve, or null for the whole representation (no Range, a stale If-Range, several ranges or
     * a malformed header), or {@link #UNSATISFIABLE}.
     */
    static ByteRange select(String range, String ifRange, String etag, long size) {
        if (range == null || !range.startsWith("bytes=") || range.contains(",")) {
            return null;
        }
        if (ifRange != null && !ifRange.equals(etag)) {
            return null;
        }
        String spec = range.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                return suffix <= 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), Math.min(suffix, size));
            }
            long start = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start >= size || last < start) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, last - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
