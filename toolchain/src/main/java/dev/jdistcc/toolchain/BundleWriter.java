package dev.jdistcc.toolchain;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes a {@link BundleTree} as a reproducible tar (CONVENTIONS 10): entries in bundle order, explicit parent
 * directories, uid/gid 0 with empty owner names, and every mtime set to one fixed instant
 * ({@code SOURCE_DATE_EPOCH} when given, else the epoch). Same tree in, same bytes out.
 */
public final class BundleWriter {
    private final Compression compression;
    private final FileTime mtime;

    public BundleWriter(Compression compression, long sourceDateEpochSeconds) {
        this.compression = compression;
        this.mtime = FileTime.fromMillis(sourceDateEpochSeconds * 1000);
    }

    /** Uses {@code SOURCE_DATE_EPOCH} from the environment when set, else 0. */
    public static BundleWriter fromEnvironment(Compression compression) {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        long epoch = 0;
        if (s != null && s.matches("[0-9]{1,12}")) {
            epoch = Long.parseLong(s);
        }
        return new BundleWriter(compression, epoch);
    }

    /** What was written: the archive's own hash and size (integrity), as opposed to the content digest (identity). */
    public record Written(Path file, String sha256, long size) {
    }

    /** Writes atomically: to a sibling temp file, then renamed onto {@code target}. */
    public Written write(BundleTree tree, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        MessageDigest md = ToolchainDigest.sha256();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             DigestOutputStream hashed = new DigestOutputStream(file, md)) {
            writeTo(tree, hashed);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        long size = Files.size(tmp);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Written(target, HexFormat.of().formatHex(md.digest()), size);
    }

    public void writeTo(BundleTree tree, OutputStream out) throws IOException {
        OutputStream compressed = compression.compress(new NonClosing(out));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (BundleEntry e : tree.entries()) {
                writeEntry(tar, e);
            }
            tar.finish();
        }
    }

    private void writeEntry(TarArchiveOutputStream tar, BundleEntry e) throws IOException {
        TarArchiveEntry t = switch (e) {
            case BundleEntry.Dir d -> new TarArchiveEntry(d.path() + "/", TarConstants.LF_DIR);
            case BundleEntry.File f -> new TarArchiveEntry(f.path(), TarConstants.LF_NORMAL);
            case BundleEntry.Symlink s -> {
                TarArchiveEntry l = new TarArchiveEntry(s.path(), TarConstants.LF_SYMLINK);
                l.setLinkName(s.target());
                yield l;
            }
        };
        t.setMode(modeWithType(e));
        t.setIds(0, 0);
        t.setUserName("");
        t.setGroupName("");
        t.setLastModifiedTime(mtime);
        if (e instanceof BundleEntry.File f) {
            t.setSize(f.size());
        }
        tar.putArchiveEntry(t);
        if (e instanceof BundleEntry.File f) {
            try (InputStream in = Files.newInputStream(f.source())) {
                long n = in.transferTo(tar);
                if (n != f.size()) {
                    throw new IOException(f.source() + " changed while packaging (" + n + " bytes, expected " + f.size() + ")");
                }
            }
        }
        tar.closeArchiveEntry();
    }

    private static int modeWithType(BundleEntry e) {
        return switch (e) {
            case BundleEntry.Dir d -> 0040000 | d.mode();
            case BundleEntry.File f -> 0100000 | f.mode();
            case BundleEntry.Symlink s -> 0120000 | s.mode();
        };
    }

    /** Lets the tar and compressor close (flushing their trailers) without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
