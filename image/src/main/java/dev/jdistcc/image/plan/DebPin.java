package dev.jdistcc.image.plan;

import java.util.regex.Pattern;

/**
 * A Debian binary package pinned by name, version and the SHA-256 of its .deb file
 * (the {@code SHA256:} field of {@code apt-cache show}).
 */
public record DebPin(String name, String version, String sha256) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9][A-Za-z0-9.+:~-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public DebPin {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Debian package name: '" + name + "'");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a Debian version: '" + version + "'");
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: '" + sha256 + "'");
        }
    }

    /** Parses the plan value {@code <version> sha256:<64 hex>} for package {@code name}. */
    public static DebPin parse(String name, String value) {
        String[] parts = value.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("sha256:")) {
            throw new IllegalArgumentException("expected '<version> sha256:<64 hex digits>', got '" + value + "'");
        }
        return new DebPin(name, parts[0], parts[1].substring("sha256:".length()));
    }

    /** The argument for {@code apt-get download}. */
    public String aptSpec() {
        return name + "=" + version;
    }

    /** A short, file-name-safe id for cache paths. */
    public String cacheId() {
        return name + "_" + version.replace(':', '%') + "_" + sha256.substring(0, 12);
    }
}
