package dev.jdistcc.toolchain.json;

/** A document is not JSON, or not the JSON a strict reader expects; the message names the offending property. */
public final class JsonException extends Exception {
    public JsonException(String message) {
        super(message);
    }
}
