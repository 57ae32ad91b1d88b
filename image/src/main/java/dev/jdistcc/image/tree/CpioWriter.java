package dev.jdistcc.image.tree;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Writes a {@link RootTree} as a "newc" cpio archive, the format the kernel unpacks as initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Reproducible by construction: entries in
 * tree order, inodes numbered from 1, uid/gid 0, every mtime set to {@code mtime}, no device numbers.
 */
public final class CpioWriter {

    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private final OutputStream out;
    private final long mtime;
    private long written;
    private int nextInode = 1;

    private CpioWriter(OutputStream out, long mtime) {
        this.out = out;
        this.mtime = mtime;
    }

    /** Writes {@code tree} and the trailer to {@code out}; returns the number of bytes written. */
    public static long write(RootTree tree, long mtime, OutputStream out) throws IOException {
        CpioWriter w = new CpioWriter(out, mtime);
        for (RootTree.Entry e : tree.entries()) {
            w.entry(e);
        }
        w.header("TRAILER!!!", 0, 0, 1, 0, 0);
        w.pad();
        return w.written;
    }

    private void entry(RootTree.Entry e) throws IOException {
        int ino = nextInode++;
        switch (e) {
            case RootTree.Dir d -> header(d.path(), ino, S_IFDIR | d.mode(), 2, 0, mtime);
            case RootTree.Symlink s -> {
                byte[] target = s.target().getBytes(StandardCharsets.UTF_8);
                header(s.path(), ino, S_IFLNK | 0777, 1, target.length, mtime);
                bytes(target);
                pad();
            }
            case RootTree.File f -> {
                long size = f.bytes() != null ? f.bytes().length : Files.size(f.source());
                header(f.path(), ino, S_IFREG | f.mode(), 1, size, mtime);
                if (f.bytes() != null) {
                    bytes(f.bytes());
                } else {
                    copy(f, size);
                }
                pad();
            }
        }
    }

    private void copy(RootTree.File f, long size) throws IOException {
        try (InputStream in = Files.newInputStream(f.source())) {
            long n = in.transferTo(out);
            if (n != size) {
                throw new IOException(f.source() + " changed size while being archived");
            }
            written += n;
        }
    }

    private void header(String name, int ino, int mode, int nlink, long size, long time) throws IOException {
        if (size > 0xFFFF_FFFFL) {
            throw new IOException("'" + name + "' is too large for newc cpio (" + size + " bytes)");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(110).append("070701");
        for (long field : new long[] {ino, mode, 0, 0, nlink, time, size, 0, 0, 0, 0, nameBytes.length + 1, 0}) {
            h.append(String.format("%08X", field));
        }
        bytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        bytes(nameBytes);
        bytes(new byte[] {0});
        pad();
    }

    private void bytes(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }
}
