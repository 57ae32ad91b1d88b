package dev.jdistcc.server.volunteer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The id a volunteer registers under: stable across restarts as long as the cache directory is kept, unique
 * even when many appliances share a host name. Made once as {@code <hostname>-<8 hex digits>} and kept in
 * {@code <cache>/volunteer-id}.
 */
final class VolunteerId {
    static final String VALID = "[A-Za-z0-9._-]{1,64}";
    private static final String FILE = "volunteer-id";

    private VolunteerId() {
    }

    static String loadOrCreate(Path cacheDir) throws IOException {
        Path f = cacheDir.resolve(FILE);
        if (Files.isRegularFile(f)) {
            String id = Files.readString(f, StandardCharsets.US_ASCII).strip();
            if (id.matches(VALID)) {
                return id;
            }
        }
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        String id = hostName() + "-" + HexFormat.of().formatHex(r);
        Path tmp = Files.createTempFile(cacheDir, FILE, ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    /** The kernel's host name, reduced to the id alphabet (no DNS lookup). */
    static String hostName() {
        String h;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            h = "volunteer";
        }
        h = h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (h.isEmpty()) {
            h = "volunteer";
        }
        return h.length() > 40 ? h.substring(0, 40) : h;
    }
}
