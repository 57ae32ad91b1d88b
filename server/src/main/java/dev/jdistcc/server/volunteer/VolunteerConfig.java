package dev.jdistcc.server.volunteer;

import dev.jdistcc.toolchain.sign.TrustedKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What distccd needs to act as a volunteer of a hub (the {@code --hub} family of options).
 *
 * @param hub              base URL of the hub ({@code http://host:3633/})
 * @param key              the hub's public key; manifests and bundles that do not verify are refused
 * @param cacheDir         where verified toolchains are unpacked; its ancestors must be traversable by the
 *                         compiler user
 * @param cacheBudgetBytes byte budget of the cache (least recently used toolchains are evicted)
 * @param advertiseAddress the address the hub should give clients, or null for the one it sees us from
 * @param advertisePort    the port the hub should give clients, or null for the port distccd listens on
 * @param volunteerId      the id to register under, or null for the one kept in the cache directory
 * @param firstRetry       first wait after the hub could not be used; doubled on every further failure
 * @param maxRetry         longest wait between tries
 * @param refresh          how often a healthy hub is asked for a new manifest
 */
public record VolunteerConfig(URI hub, TrustedKey key, Path cacheDir, long cacheBudgetBytes, String advertiseAddress,
                              Integer advertisePort, String volunteerId, Duration firstRetry, Duration maxRetry,
                              Duration refresh) {
    public static final long DEFAULT_BUDGET = 8L << 30;
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration MAX_RETRY = Duration.ofSeconds(60);
    public static final Duration REFRESH = Duration.ofMinutes(5);

    public VolunteerConfig {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cacheDir, "cacheDir");
        String base = hub.toString();
        hub = base.endsWith("/") ? hub : URI.create(base + "/");
    }

    /** /var/cache/jdistcc/toolchains for root (compiler users can reach it), else under the XDG cache directory. */
    public static Path defaultCacheDir(boolean root, java.util.Map<String, String> env) {
        if (root) {
            return Path.of("/var/cache/jdistcc/toolchains");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jdistcc").resolve("toolchains");
    }

    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("([0-9]{1,19})\\s*([KMGT]?)(I?B)?");

    /** Parses "8G", "512M", "100k", "4GiB", "1073741824" (binary units; an optional trailing "B" or "iB"). */
    public static long parseSize(String text) {
        java.util.regex.Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (like 8G, 512M): " + text);
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size must be positive and below 8 EiB: " + text);
        }
        return n << shift;
    }
}
