package dev.jdistcc.netboot.http;

import java.util.Locale;

/**
 * The part of a file a {@code Range} request header asks for (RFC 9110 §14). Only one range per
 * request is honoured; a multi-range or malformed header gets the whole file, which the RFC allows
 * (a server may ignore {@code Range}). Pure: no I/O.
 */
public sealed interface ByteRange {

    /** No (usable) range: send everything with 200. */
    record Whole() implements ByteRange {}

    /** Bytes {@code first..last} inclusive: send with 206. */
    record Part(long first, long last) implements ByteRange {
        public long length() {
            return last - first + 1;
        }
    }

    /** Nothing of the file lies in the range: 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements ByteRange {}

    static ByteRange parse(String header, long length) {
        if (header == null || !header.strip().toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();
        }
        String spec = header.strip().substring(6).strip();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        try {
            if (from.isEmpty()) {
                long suffix = digits(to);
                if (suffix == 0 || length == 0) {
                    return new Unsatisfiable();
                }
                return new Part(Math.max(0, length - suffix), length - 1);
            }
            long first = digits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
            if (last < first) {
                return new Whole();
            }
            if (first >= length) {
                return new Unsatisfiable();
            }
            return new Part(first, Math.min(last, length - 1));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
