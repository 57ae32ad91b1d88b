package dev.jdistcc.image;

/** A build-host tool (jlink, zstd, xorriso, …) is missing, failed, or ran past its deadline. */
public final class ToolException extends ImageException {

    public ToolException(String message) {
        super(message, null);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
