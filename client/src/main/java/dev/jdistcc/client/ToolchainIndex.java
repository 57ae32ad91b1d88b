package dev.jdistcc.client;

import dev.jdistcc.protocol.RequestHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local compilers the hub has packaged, by driver file: written by the hub each time it publishes a manifest
 * ({@code <hub socket dir>/toolchains}), read by the plain client and held in memory by the resident one.
 *
 * <pre>
 * jdistcc-toolchain-index 1
 * hub http://127.0.0.1:3640/
 * &lt;digest hex&gt; &lt;size&gt; &lt;mtime ms&gt; &lt;real path of a driver&gt;
 * </pre>
 *
 * A compiler matches when the file its local compile would run resolves (symlinks followed) to a listed driver
 * whose size and modification time are still the ones packaged: an upgraded compiler is never named by the
 * digest of its predecessor (the job then names the compiler only, as before the hub repackages it).
 */
public final class ToolchainIndex implements ToolchainNames {
    static final String MAGIC = "jdistcc-toolchain-index 1";
    /** Where the index is when JDISTCC_TOOLCHAIN_INDEX does not say (next to the resident hub's socket). */
    public static final String FILE_NAME = "toolchains";

    /** One driver of a packaged toolchain: its real path on this machine, size and mtime when it was packaged. */
    public record Entry(String digest, long size, long mtimeMillis, Path driver) {
    }

    private final String hub;
    private final List<Entry> entries;

    public ToolchainIndex(String hub, List<Entry> entries) {
        this.hub = hub;
        this.entries = List.copyOf(entries);
    }

    public String hub() {
        return hub;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The index file for an environment: $JDISTCC_TOOLCHAIN_INDEX, else next to the hub socket the launcher uses. */
    public static Path defaultFile(Map<String, String> env) {
        String f = env.get("JDISTCC_TOOLCHAIN_INDEX");
        if (f != null && !f.isEmpty()) {
            return Path.of(f);
        }
        String socket = env.get("JDISTCC_HUB_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            Path parent = Path.of(socket).toAbsolutePath().getParent();
            return parent.resolve(FILE_NAME);
        }
        String dir = env.get("DISTCC_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir, "jdistcc", FILE_NAME);
        }
        String home = env.get("HOME");
        return Path.of(home == null || home.isEmpty() ? "/tmp" : home, ".distcc", "jdistcc", FILE_NAME);
    }

    /** Reads an index; null when there is none or it is not one (the client then names compilers only). */
    public static ToolchainIndex read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        if (lines.size() < 2 || !lines.get(0).equals(MAGIC) || !lines.get(1).startsWith("hub ")) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ", 4);
            if (f.length != 4 || !isDigest(f[0]) || !f[3].startsWith("/")) {
                return null;
            }
            try {
                entries.add(new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Path.of(f[3])));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return new ToolchainIndex(lines.get(1).substring(4), entries);
    }

    /** Writes the index atomically (temporary file and rename), so a client never reads half of one. */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(MAGIC).append('\n').append("hub ").append(hub).append('\n');
        for (Entry e : entries) {
            if (e.driver().toString().indexOf('\n') >= 0) {
                continue;
            }
            b.append(e.digest()).append(' ').append(e.size()).append(' ').append(e.mtimeMillis()).append(' ')
                    .append(e.driver()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** An entry for a driver file as it is now on this machine; null when it cannot be read. */
    public static Entry entryFor(String digest, Path driver) {
        try {
            Path real = driver.toRealPath();
            return new Entry(digest, Files.size(real), Files.getLastModifiedTime(real).toMillis(), real);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public RequestHeader.ToolchainRef forCompiler(String compiler, Path executable) {
        if (executable == null || entries.isEmpty()) {
            return null;
        }
        Path real;
        long size;
        long mtime;
        try {
            real = executable.toRealPath();
            size = Files.size(real);
            mtime = Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return null;
        }
        for (Entry e : entries) {
            if (e.driver().equals(real) && e.size() == size && e.mtimeMillis() == mtime) {
                return new RequestHeader.ToolchainRef(e.digest(), hub);
            }
        }
        return null;
    }

    private static boolean isDigest(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The plain client's default: the index file, read on first use only (jobs to stock hosts never touch it),
     * re-read by each process so a hub's newer index counts from the next job.
     */
    static final class FromFile implements ToolchainNames {
        private final Path file;
        private ToolchainIndex index;
        private boolean loaded;

        FromFile(Path file) {
            this.file = file;
        }

        @Override
        public synchronized RequestHeader.ToolchainRef forCompiler(String compiler, Path executable) {
            if (!loaded) {
                index = read(file);
                loaded = true;
            }
            return index == null ? null : index.forCompiler(compiler, executable);
        }
    }
}
