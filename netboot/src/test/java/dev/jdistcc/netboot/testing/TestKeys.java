package dev.jdistcc.netboot.testing;

/** A well-formed hub key for tests: {@code ed25519:} and the base64 of 32 bytes (not a real key pair). */
public final class TestKeys {

    public static final String KEY = "ed25519:KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

    private TestKeys() {}
}
