package dev.jdistcc.toolchain.sign;

import dev.jdistcc.toolchain.ToolchainException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 public key that a volunteer trusts, written {@code ed25519:<base64 of the 32 raw key bytes>}
 * (short enough for a kernel command line or a boot menu).
 */
public final class TrustedKey {
    private static final String PREFIX = "ed25519:";
    /** DER header of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] X509_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private final byte[] raw;
    private final PublicKey key;

    private TrustedKey(byte[] raw) {
        this.raw = raw.clone();
        try {
            byte[] der = Arrays.copyOf(X509_HEADER, X509_HEADER.length + 32);
            System.arraycopy(raw, 0, der, X509_HEADER.length, 32);
            this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    public static TrustedKey parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a trusted key looks like ed25519:<base64>, got: " + text);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted key is not valid base64: " + text);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, this one " + raw.length);
        }
        return new TrustedKey(raw);
    }

    static TrustedKey of(PublicKey pub) {
        byte[] der = pub.getEncoded();
        return new TrustedKey(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    /** Throws {@link ToolchainException.BadSignature} naming {@code what} unless the signature verifies. */
    public void verify(byte[] data, String base64Signature, String what) throws ToolchainException.BadSignature {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(base64Signature.strip());
        } catch (IllegalArgumentException e) {
            throw new ToolchainException.BadSignature(what + ": signature is not base64");
        }
        boolean ok;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            ok = sig.length == 64 && s.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new ToolchainException.BadSignature(what + ": signature does not verify against the trusted key " + this);
        }
    }

    @Override
    public String toString() {
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedKey t && Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }
}
