package dev.jdistcc.protocol;

import java.io.IOException;

/**
 * A stream that does not follow the protocol. Every subtype means the same thing to a caller: the peer
 * cannot be trusted for this job (a client falls back or tries another host; a server drops the
 * connection without answering, as distccd 3.4 does). The subtype says why, for the log.
 */
public abstract sealed class ProtocolException extends IOException {
    private ProtocolException(String message) {
        super(message);
    }

    private ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The stream ended before a complete header or body (reference §1.1: closing early is an error). */
    public static final class Truncated extends ProtocolException {
        public Truncated(String what, long expected, long got) {
            super("connection closed while reading " + what + ": expected " + expected + " bytes, got " + got);
        }
    }

    /** A header that is not one of the tokens expected at this point ("protocol derailment" in distcc). */
    public static final class UnexpectedToken extends ProtocolException {
        public UnexpectedToken(String expected, String got) {
            super("protocol derailment: expected " + expected + ", got " + got);
        }
    }

    /** Header value that is not eight hex digits, or a value out of its allowed range. */
    public static final class BadValue extends ProtocolException {
        public BadValue(String message) {
            super(message);
        }
    }

    /** A count or length beyond the configured {@link Limits}: refused before any allocation. */
    public static final class LimitExceeded extends ProtocolException {
        public LimitExceeded(String what, long value, long limit) {
            super(what + " of " + value + " exceeds the limit of " + limit);
        }

        public LimitExceeded(String message) {
            super(message);
        }
    }

    /** A compressed body that does not decompress. */
    public static final class BadCompression extends ProtocolException {
        public BadCompression(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A DIST or DONE version this side does not speak, or a DONE that does not echo the request. */
    public static final class UnsupportedVersion extends ProtocolException {
        public UnsupportedVersion(String message) {
            super(message);
        }
    }
}
