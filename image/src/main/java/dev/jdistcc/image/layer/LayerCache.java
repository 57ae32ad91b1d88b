package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.ToolException;
import dev.jdistcc.image.exec.Exec;
import dev.jdistcc.image.tree.CpioWriter;
import dev.jdistcc.image.tree.RootTree;
import dev.jdistcc.image.tree.Trees;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Compressed layers keyed by a digest of everything that goes into them, so a rebuild after a server
 * change reassembles only the layers whose inputs changed. The key text must name every input
 * (package digests, file lists, tool versions, {@link #FORMAT}); a layer is written to a temporary
 * file and renamed into place, so an interrupted build never leaves a half layer behind.
 */
public final class LayerCache {

    /** Bump when layer assembly code changes in a way the key text does not capture. */
    public static final int FORMAT = 1;

    /** Assembles a layer's tree; {@code scratch} is a private directory deleted after the layer is written. */
    @FunctionalInterface
    public interface Assembler {
        RootTree assemble(Path scratch) throws ImageException, IOException;
    }

    private final Path dir;
    private final long mtime;
    private final int zstdLevel;

    public LayerCache(Path cacheRoot, long mtime, int zstdLevel) {
        this.dir = cacheRoot.resolve("layers");
        this.mtime = mtime;
        this.zstdLevel = zstdLevel;
    }

    public Layer layer(String name, String keyText, Assembler assembler) throws ImageException, IOException {
        String key = digest("format=" + FORMAT + "\nmtime=" + mtime + "\nzstd=" + zstdLevel + "\n" + keyText);
        Path file = dir.resolve(name + "-" + key.substring(0, 24) + ".cpio.zst");
        Path meta = dir.resolve(name + "-" + key.substring(0, 24) + ".properties");
        if (Files.isRegularFile(file) && Files.isRegularFile(meta)) {
            Properties p = load(meta);
            return new Layer(name, file, Files.size(file), Long.parseLong(p.getProperty("uncompressed")),
                    Integer.parseInt(p.getProperty("entries")), true);
        }
        Files.createDirectories(dir);
        Path scratch = Files.createTempDirectory(dir, "." + name + "-scratch-");
        try {
            RootTree tree = assembler.assemble(scratch);
            Path cpio = scratch.resolve("layer.cpio");
            long size;
            try (OutputStream out = Files.newOutputStream(cpio)) {
                size = CpioWriter.write(tree, mtime, out);
            }
            Path zst = scratch.resolve("layer.cpio.zst");
            compress(cpio, zst, zstdLevel);
            Properties p = new Properties();
            p.setProperty("uncompressed", Long.toString(size));
            p.setProperty("entries", Integer.toString(tree.size()));
            Path metaTmp = scratch.resolve("meta");
            try (Writer w = Files.newBufferedWriter(metaTmp)) {
                p.store(w, null);
            }
            Files.move(zst, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(metaTmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Layer(name, file, Files.size(file), size, tree.size(), false);
        } finally {
            Trees.delete(scratch);
        }
    }

    /** zstd single-threaded: its output is then a pure function of input and level. */
    static void compress(Path in, Path out, int level) throws ToolException {
        Exec.run(List.of("zstd", "-q", "-f", "-T1", "-" + level, in.toString(), "-o", out.toString()),
                in.getParent(), Duration.ofMinutes(10));
    }

    private static Properties load(Path meta) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta)) {
            p.load(r);
        }
        return p;
    }

    public static String digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String digest(byte[] bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
