package dev.jdistcc.toolchain;

/**
 * Errors of the toolchain library; the subtype says what the caller can do about it.
 * {@link Packaging}: this compiler cannot be bundled (skip it, tell the user why).
 * {@link BadManifest}: a manifest or config document is malformed (the message names the property).
 * {@link BadSignature}: a signature does not verify against the trusted key (refuse the input).
 */
public sealed class ToolchainException extends Exception
        permits ToolchainException.Packaging, ToolchainException.BadManifest, ToolchainException.BadSignature {

    ToolchainException(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class Packaging extends ToolchainException {
        public Packaging(String message) {
            super(message, null);
        }

        public Packaging(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class BadManifest extends ToolchainException {
        public BadManifest(String message) {
            super(message, null);
        }
    }

    public static final class BadSignature extends ToolchainException {
        public BadSignature(String message) {
            super(message, null);
        }
    }
}
