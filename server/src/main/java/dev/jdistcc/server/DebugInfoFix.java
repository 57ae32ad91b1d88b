package dev.jdistcc.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The debug-info fix-up of protocol 3 (reference §1.6 step 5, fix_debug_info.c): in an ELF object, every
 * occurrence of the private root's path in the debug string sections is overwritten with "/" padded with
 * slashes to the same length, so no section changes size and the paths read as the client's.
 *
 * <p>distccd 3.4 edits only .debug_info and .debug_str. DWARF 5 (gcc 11 and later) keeps the compile
 * directory and file names in .debug_line_str and .debug_line, where 3.4 leaves the random root behind;
 * those are edited too, which makes pump objects reproducible.
 */
final class DebugInfoFix {
    private static final Set<String> SECTIONS = Set.of(".debug_info", ".debug_str", ".debug_line_str", ".debug_line");
    private static final long SHF_COMPRESSED = 0x800;

    private DebugInfoFix() {
    }

    /** Edits {@code elf} in place; returns the number of replacements. Anything not a sane ELF is left alone. */
    static int fix(byte[] elf, String root) {
        byte[] search = root.getBytes(StandardCharsets.UTF_8);
        byte[] replace = "/".repeat(search.length).getBytes(StandardCharsets.US_ASCII);
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            return 0;
        }
        boolean is64 = elf[4] == 2;
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        try {
            long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
            int shentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x3a : 0x2e));
            int shnum = Short.toUnsignedInt(b.getShort(is64 ? 0x3c : 0x30));
            int shstrndx = Short.toUnsignedInt(b.getShort(is64 ? 0x3e : 0x32));
            if (shnum == 0) {
                shnum = (int) sectionField(b, is64, shoff, shentsize, 0, Field.SIZE);
            }
            if (shstrndx == 0xffff) {
                shstrndx = (int) sectionField(b, is64, shoff, shentsize, 0, Field.LINK);
            }
            long names = sectionField(b, is64, shoff, shentsize, shstrndx, Field.OFFSET);
            int count = 0;
            for (int i = 0; i < shnum; i++) {
                String name = cString(elf, names + sectionField(b, is64, shoff, shentsize, i, Field.NAME));
                if (!SECTIONS.contains(name) || (sectionField(b, is64, shoff, shentsize, i, Field.FLAGS) & SHF_COMPRESSED) != 0) {
                    continue;
                }
                long off = sectionField(b, is64, shoff, shentsize, i, Field.OFFSET);
                long size = sectionField(b, is64, shoff, shentsize, i, Field.SIZE);
                if (off < 0 || size < 0 || off + size > elf.length) {
                    continue;
                }
                count += replaceAll(elf, (int) off, (int) (off + size), search, replace);
            }
            return count;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return 0;
        }
    }

    private enum Field { NAME, FLAGS, OFFSET, SIZE, LINK }

    private static long sectionField(ByteBuffer b, boolean is64, long shoff, int entsize, int index, Field f) {
        int base = Math.toIntExact(shoff + (long) index * entsize);
        if (is64) {
            return switch (f) {
                case NAME -> Integer.toUnsignedLong(b.getInt(base));
                case FLAGS -> b.getLong(base + 0x08);
                case OFFSET -> b.getLong(base + 0x18);
                case SIZE -> b.getLong(base + 0x20);
                case LINK -> Integer.toUnsignedLong(b.getInt(base + 0x28));
            };
        }
        return Integer.toUnsignedLong(b.getInt(base + switch (f) {
            case NAME -> 0x00;
            case FLAGS -> 0x08;
            case OFFSET -> 0x10;
            case SIZE -> 0x14;
            case LINK -> 0x18;
        }));
    }

    private static String cString(byte[] elf, long at) {
        int start = Math.toIntExact(at);
        int end = start;
        while (end < elf.length && elf[end] != 0) {
            end++;
        }
        return new String(elf, start, end - start, StandardCharsets.UTF_8);
    }

    private static int replaceAll(byte[] a, int from, int to, byte[] search, byte[] replace) {
        int count = 0;
        outer:
        for (int i = from; i + search.length <= to; i++) {
            for (int j = 0; j < search.length; j++) {
                if (a[i + j] != search[j]) {
                    continue outer;
                }
            }
            System.arraycopy(replace, 0, a, i, replace.length);
            count++;
            i += search.length - 1;
        }
        return count;
    }
}
