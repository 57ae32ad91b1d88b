package dev.jdistcc.fetcher;

/**
 * Why a toolchain could not be fetched, installed or used. The subtype tells the caller what to do:
 * refuse the toolchain ({@link Untrusted}, {@link DigestMismatch}, {@link UnsafeBundle}, {@link TooLarge},
 * {@link Unusable}), retry later ({@link Truncated}, {@link HubUnreachable}, {@link CacheFull}), or answer
 * the job with "unknown toolchain" so the client compiles locally ({@link UnknownToolchain}). Nothing of a
 * refused bundle stays in the cache.
 */
public sealed class FetchException extends Exception {
    FetchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A signature did not verify against the trusted key. */
    public static final class Untrusted extends FetchException {
        public Untrusted(String message) {
            super(message, null);
        }
    }

    /** Archive hash or content digest differs from what the signed manifest promised. */
    public static final class DigestMismatch extends FetchException {
        public DigestMismatch(String message) {
            super(message, null);
        }
    }

    /** The archive holds something that must never be unpacked: traversal, escaping links, devices, setuid… */
    public static final class UnsafeBundle extends FetchException {
        public UnsafeBundle(String message) {
            super(message, null);
        }
    }

    /** Over a size limit: download larger than declared, unpacked size or entry count over budget. */
    public static final class TooLarge extends FetchException {
        public TooLarge(String message) {
            super(message, null);
        }
    }

    /** The download or the archive ended early. */
    public static final class Truncated extends FetchException {
        public Truncated(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The hub could not be reached or answered with an error status. */
    public static final class HubUnreachable extends FetchException {
        public HubUnreachable(String message, Throwable cause) {
            super(message, cause);
        }

        /** "cannot reach URL: connection refused" rather than a bare exception class name. */
        public static HubUnreachable of(String what, java.io.IOException e) {
            String why = switch (e) {
                case java.net.ConnectException c -> "connection refused" + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
                case java.net.http.HttpTimeoutException t -> "timed out";
                case java.net.UnknownHostException u -> "unknown host " + u.getMessage();
                default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            };
            return new HubUnreachable("cannot reach " + what + ": " + why, e);
        }

        /** An error status; 503 is what a hub answers while it packages its first toolchains. */
        public static HubUnreachable status(String what, int status) {
            return new HubUnreachable(what + " answered HTTP " + status
                    + (status == 503 ? " (the hub is still packaging its toolchains)" : ""), null);
        }
    }

    /** No toolchain with that digest or compiler name for this machine in the trusted manifest. */
    public static final class UnknownToolchain extends FetchException {
        public UnknownToolchain(String message) {
            super(message, null);
        }
    }

    /** The toolchain unpacked fine but does not run here (test run failed inside the sandbox). */
    public static final class Unusable extends FetchException {
        public Unusable(String message) {
            super(message, null);
        }
    }

    /** Not enough room within the cache budget: the toolchains that would have to go are in use. */
    public static final class CacheFull extends FetchException {
        public CacheFull(String message) {
            super(message, null);
        }
    }
}
