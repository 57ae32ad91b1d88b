package dev.jdistcc.image.deb;

import dev.jdistcc.image.FetchException;
import dev.jdistcc.image.ToolException;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.plan.DebPin;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pinned Debian packages in a local cache: fetched by name and version with {@code apt-get download}
 * (no root needed), accepted only if their SHA-256 matches the pin, and extracted once with
 * {@code dpkg-deb -x}. Cache entries are content-addressed and written atomically, so a shared or
 * interrupted cache never yields a wrong file.
 */
public final class DebStore {

    private final Path debs;
    private final Path extracted;

    public DebStore(Path cacheRoot) {
        this.debs = cacheRoot.resolve("debs");
        this.extracted = cacheRoot.resolve("extracted");
    }

    public boolean isFetched(DebPin pin) {
        return Files.isRegularFile(debFile(pin));
    }

    /** The verified .deb for {@code pin}, downloading it if it is not cached. */
    public Path fetch(DebPin pin) throws FetchException, ToolException, IOException {
        Path target = debFile(pin);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(debs);
        Path tmp = Files.createTempDirectory(debs, ".download-");
        try {
            try {
                Exec.run(List.of("apt-get", "download", "-q", pin.aptSpec()), tmp, Duration.ofMinutes(10));
            } catch (ToolException e) {
                throw new FetchException("apt-get could not download " + pin.aptSpec() + ". Is the version still in "
                        + "the configured Debian archive (apt-cache policy " + pin.name() + ")? A pin that fell out "
                        + "of the archive needs a plan update or a snapshot source.\n" + e.getMessage(), e);
            }
            Path deb = single(tmp, pin);
            String actual = sha256(deb);
            if (!actual.equals(pin.sha256())) {
                throw new FetchException("digest mismatch for " + pin.aptSpec() + ": the plan pins sha256:"
                        + pin.sha256() + " but the archive served sha256:" + actual
                        + ". Check the pin against 'apt-cache show " + pin.aptSpec() + "'.");
            }
            Files.move(deb, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Trees.delete(tmp);
        }
    }

    /** The package's files, extracted (not installed) into a cache directory. */
    public Path extract(DebPin pin) throws FetchException, ToolException, IOException {
        Path dir = extracted.resolve(pin.cacheId());
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path deb = fetch(pin);
        Files.createDirectories(extracted);
        Path tmp = Files.createTempDirectory(extracted, ".extract-");
        try {
            Exec.run(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()), tmp, Duration.ofMinutes(10));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } finally {
            if (Files.exists(tmp)) {
                Trees.delete(tmp);
            }
        }
    }

    private Path debFile(DebPin pin) {
        return debs.resolve(pin.cacheId() + ".deb");
    }

    private static Path single(Path dir, DebPin pin) throws IOException, FetchException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
            if (found.size() != 1) {
                throw new FetchException("apt-get download " + pin.aptSpec() + " left " + found.size() + " .deb files");
            }
            return found.getFirst();
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
