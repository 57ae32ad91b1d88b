package dev.jdistcc.netboot;

/** A boot file is missing or unreadable, or a pinned firmware binary does not match its digest. */
public final class ArtifactException extends NetbootException {

    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
