package dev.jdistcc.client;

/**
 * The host list could not be used: nothing to parse, or a token that is not in the grammar. The whole list
 * is rejected and the compile runs locally (distcc's EXIT_BAD_HOSTSPEC / EXIT_NO_HOSTS, reference §2.8).
 */
public final class HostListException extends Exception {
    private final boolean empty;

    public HostListException(String message) {
        this(message, false);
    }

    public HostListException(String message, boolean empty) {
        super(message);
        this.empty = empty;
    }

    /** True when the list was missing or had no hosts (distcc warns), false for a syntax error (distcc errs). */
    public boolean empty() {
        return empty;
    }
}
