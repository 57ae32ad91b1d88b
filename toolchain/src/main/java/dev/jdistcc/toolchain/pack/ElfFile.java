package dev.jdistcc.toolchain.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few ELF facts packaging needs: is it ELF, which machine it runs on, and its program interpreter
 * (PT_INTERP, the dynamic loader), read from the headers without running anything.
 */
public record ElfFile(String arch, Optional<String> interpreter) {
    private static final int PT_INTERP = 3;

    /** Empty when the file is not ELF (a script, a data file). */
    public static Optional<ElfFile> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer h = ByteBuffer.allocate(64);
            ch.read(h, 0);
            h.flip();
            if (h.remaining() < 52 || h.getInt(0) != 0x7f454c46) {
                return Optional.empty();
            }
            boolean is64 = h.get(4) == 2;
            h.order(h.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            String arch = archName(Short.toUnsignedInt(h.getShort(0x12)), is64);
            long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2c));
            return Optional.of(new ElfFile(arch, interpreter(ch, h.order(), is64, phoff, phentsize, phnum)));
        }
    }

    private static Optional<String> interpreter(FileChannel ch, ByteOrder order, boolean is64, long phoff,
                                                int phentsize, int phnum) throws IOException {
        for (int i = 0; i < phnum && i < 256; i++) {
            ByteBuffer ph = ByteBuffer.allocate(phentsize).order(order);
            ch.read(ph, phoff + (long) i * phentsize);
            if (ph.getInt(0) != PT_INTERP) {
                continue;
            }
            long off = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
            long size = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
            if (size <= 1 || size > 4096) {
                return Optional.empty();
            }
            ByteBuffer s = ByteBuffer.allocate((int) size);
            ch.read(s, off);
            return Optional.of(new String(s.array(), 0, (int) size - 1, StandardCharsets.US_ASCII));
        }
        return Optional.empty();
    }

    /** uname -m style names, as icecream uses for platforms (reference §1.4). */
    static String archName(int machine, boolean is64) {
        return switch (machine) {
            case 62 -> "x86_64";
            case 3 -> "i686";
            case 183 -> "aarch64";
            case 40 -> "armv7l";
            case 243 -> is64 ? "riscv64" : "riscv32";
            case 21 -> "ppc64le";
            case 22 -> "s390x";
            default -> "elf-machine-" + machine;
        };
    }
}
