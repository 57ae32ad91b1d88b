package dev.jdistcc.netboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One file served to booting machines: the kernel or an initramfs. The name is what the URL ends in
 * and what the kernel's EFI stub looks up for {@code initrd=<name>}, so it is a plain file name.
 * Size and digest are taken once, when the file is registered; the digest is the HTTP ETag.
 *
 * @param name   URL file name, e.g. {@code vmlinuz} or {@code initrd.img}
 * @param path   where the bytes are
 * @param size   length in bytes
 * @param sha256 lower-case hex SHA-256 of the content
 */
public record BootFile(String name, Path path, long size, String sha256) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public BootFile {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("boot file name must be a plain file name: " + name);
        }
    }

    /** Registers {@code path} under {@code name}, reading it once for its size and digest. */
    public static BootFile of(String name, Path path) throws ArtifactException, ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("'" + name + "' cannot be a boot file name: use letters, digits, '.', '_' and '-'");
        }
        if (!Files.isRegularFile(path)) {
            throw new ArtifactException(path + " does not exist or is not a regular file");
        }
        try {
            return new BootFile(name, path, Files.size(path), sha256(path));
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of a file's content. */
    public static String sha256(Path path) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
