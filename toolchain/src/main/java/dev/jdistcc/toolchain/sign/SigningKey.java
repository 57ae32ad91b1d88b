package dev.jdistcc.toolchain.sign;

import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.json.Json;
import dev.jdistcc.toolchain.json.JsonException;
import dev.jdistcc.toolchain.json.StrictObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's Ed25519 signing key (JDK built-in EdDSA). Its {@link TrustedKey} is what volunteers are
 * configured with. Stored as a small versioned JSON file readable only by its owner.
 */
public final class SigningKey {
    static final String KIND = "jdistcc.signing-key";
    private final PrivateKey privateKey;
    private final TrustedKey publicKey;

    private SigningKey(PrivateKey privateKey, TrustedKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static SigningKey generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(kp.getPrivate(), TrustedKey.of(kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has Ed25519", e);
        }
    }

    /** Loads the key at {@code file}, creating (and storing) a new one when the file does not exist. */
    public static SigningKey loadOrCreate(Path file) throws IOException, ToolchainException.BadManifest {
        if (Files.exists(file)) {
            return load(file);
        }
        SigningKey k = generate();
        k.store(file);
        return k;
    }

    public static SigningKey load(Path file) throws IOException, ToolchainException.BadManifest {
        try {
            StrictObject o = StrictObject.parse(file.toString(), Files.readString(file));
            String kind = o.string("kind");
            long version = o.integer("version");
            if (!KIND.equals(kind) || version != 1) {
                throw o.invalid("kind", "expected " + KIND + " version 1, got " + kind + " version " + version);
            }
            byte[] pkcs8 = Base64.getDecoder().decode(o.string("private"));
            TrustedKey pub = TrustedKey.parse(o.string("public"));
            o.done();
            PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new SigningKey(priv, pub);
        } catch (JsonException e) {
            throw new ToolchainException.BadManifest(e.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ToolchainException.BadManifest(file + ": not a usable Ed25519 key: " + e.getMessage());
        }
    }

    public void store(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND);
        m.put("version", 1L);
        m.put("private", Base64.getEncoder().encodeToString(privateKey.getEncoded()));
        m.put("public", publicKey.toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Json.write(m, true));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public TrustedKey publicKey() {
        return publicKey;
    }

    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Signature as base64 text, the form used in manifests and .sig files. */
    public String signToText(byte[] data) {
        return Base64.getEncoder().encodeToString(sign(data));
    }

    public String signToText(String data) {
        return signToText(data.getBytes(StandardCharsets.UTF_8));
    }
}
