package dev.jdistcc.image.tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dynamic-linking facts of an x86-64 ELF file: its program interpreter ({@code PT_INTERP}) and
 * {@code DT_NEEDED} libraries. Enough to compute a shared-library closure without running {@code ldd}
 * (which would execute the target's loader on the build host).
 */
public record ElfFile(Optional<String> interpreter, List<String> needed) {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    private record Segment(int type, long offset, long vaddr, long filesz) {}

    /** Reads {@code file}; empty if it is not a 64-bit little-endian ELF (scripts, data, jars). */
    public static Optional<ElfFile> read(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 64) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            if (buf.getInt(0) != 0x464C457F || buf.get(4) != 2 || buf.get(5) != 1) {
                return Optional.empty();
            }
            return Optional.of(parse(buf));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException(file + ": truncated or malformed ELF file", e);
        }
    }

    private static ElfFile parse(ByteBuffer buf) {
        List<Segment> segments = segments(buf);
        Optional<String> interp = Optional.empty();
        Segment dynamic = null;
        for (Segment s : segments) {
            if (s.type() == PT_INTERP) {
                interp = Optional.of(string(buf, s.offset()));
            } else if (s.type() == PT_DYNAMIC) {
                dynamic = s;
            }
        }
        if (dynamic == null) {
            return new ElfFile(interp, List.of());
        }
        List<Long> neededOffsets = new ArrayList<>();
        long strtabAddr = -1;
        for (long p = dynamic.offset(); p + 16 <= dynamic.offset() + dynamic.filesz(); p += 16) {
            long tag = buf.getLong((int) p);
            long val = buf.getLong((int) p + 8);
            if (tag == 0) {
                break;
            } else if (tag == DT_NEEDED) {
                neededOffsets.add(val);
            } else if (tag == DT_STRTAB) {
                strtabAddr = val;
            }
        }
        long strtab = fileOffset(segments, strtabAddr);
        List<String> needed = new ArrayList<>();
        for (long off : neededOffsets) {
            needed.add(string(buf, strtab + off));
        }
        return new ElfFile(interp, List.copyOf(needed));
    }

    private static List<Segment> segments(ByteBuffer buf) {
        long phoff = buf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(buf.getShort(0x36));
        int phnum = Short.toUnsignedInt(buf.getShort(0x38));
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int base = (int) (phoff + (long) i * phentsize);
            out.add(new Segment(buf.getInt(base), buf.getLong(base + 8), buf.getLong(base + 16), buf.getLong(base + 32)));
        }
        return out;
    }

    private static long fileOffset(List<Segment> segments, long vaddr) {
        for (Segment s : segments) {
            if (s.type() == PT_LOAD && vaddr >= s.vaddr() && vaddr < s.vaddr() + s.filesz()) {
                return vaddr - s.vaddr() + s.offset();
            }
        }
        throw new IllegalArgumentException("DT_STRTAB address 0x" + Long.toHexString(vaddr) + " is in no PT_LOAD segment");
    }

    private static String string(ByteBuffer buf, long offset) {
        int start = (int) offset;
        int end = start;
        while (buf.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        buf.get(start, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
