package dev.jdistcc.protocol;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * LZO1X-1 compression by the system's liblzo2 (Debian package liblzo2-2), called through the foreign function
 * API: the reference implementation, of which the miniLZO that distcc 3.4 bundles is an extract, so it writes
 * the same streams at C speed (aircompressor's Java encoder took 1.8 times distcc's CPU on a 3 MB input).
 * Only compression: decompressing untrusted bodies stays in Java, bounded ({@link Compression}).
 * Linux on a 64-bit (LP64) machine only, where the type sizes {@code lzo_init()} checks are known.
 */
final class NativeLzo {
    /** lzo_init()'s arguments on LP64: LZO_VERSION 2.10, then sizeof short, int, long, lzo_uint32_t, lzo_uint,
     *  lzo_sizeof_dict_t, char *, lzo_voidp, lzo_callback_t (from lzoconf.h). */
    private static final int LZO_VERSION = 0x20a0;
    private static final int[] LP64_SIZES = {2, 4, 8, 4, 8, 8, 8, 8, 48};
    /** LZO1X_1_MEM_COMPRESS: 16384 dictionary entries of a pointer each. */
    private static final long WORK_MEMORY = 16384L * 8;

    private final MethodHandle compress;

    private NativeLzo(MethodHandle compress) {
        this.compress = compress;
    }

    /**
     * The library if it is installed and agrees with this process's type sizes; otherwise why not, as an
     * exception the caller may log (it falls back to the Java encoder).
     */
    static NativeLzo load() throws UnsupportedOperationException {
        if (!System.getProperty("os.name", "").equals("Linux") || ValueLayout.ADDRESS.byteSize() != 8) {
            throw new UnsupportedOperationException("liblzo2 is used on 64-bit Linux only");
        }
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("liblzo2.so.2", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException("liblzo2.so.2 is not installed (Debian package liblzo2-2)");
        }
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        MethodHandle init = linker.downcallHandle(lib.findOrThrow("__lzo_init_v2"),
                FunctionDescriptor.of(i, i, i, i, i, i, i, i, i, i, i));
        int rc;
        try {
            rc = (int) init.invokeExact(LZO_VERSION, LP64_SIZES[0], LP64_SIZES[1], LP64_SIZES[2], LP64_SIZES[3],
                    LP64_SIZES[4], LP64_SIZES[5], LP64_SIZES[6], LP64_SIZES[7], LP64_SIZES[8]);
        } catch (Throwable t) {
            throw new UnsupportedOperationException("lzo_init failed: " + t, t);
        }
        if (rc != 0) {
            throw new UnsupportedOperationException("lzo_init returned " + rc + " (library built for other type sizes)");
        }
        ValueLayout.OfLong len = ValueLayout.JAVA_LONG;
        MethodHandle compress = linker.downcallHandle(lib.findOrThrow("lzo1x_1_compress"),
                FunctionDescriptor.of(i, ValueLayout.ADDRESS, len, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS));
        return new NativeLzo(compress);
    }

    /** LZO1X-1 of a non-empty plaintext: a raw stream as distcc writes it (no header, no length). */
    byte[] compress(byte[] plain) {
        // lzo1x output bound from the LZO FAQ: n + n/16 + 64 + 3
        long bound = plain.length + plain.length / 16L + 64 + 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(plain.length);
            MemorySegment.copy(plain, 0, src, ValueLayout.JAVA_BYTE, 0, plain.length);
            MemorySegment dst = arena.allocate(bound);
            MemorySegment outLen = arena.allocate(ValueLayout.JAVA_LONG);
            outLen.set(ValueLayout.JAVA_LONG, 0, bound);
            MemorySegment work = arena.allocate(WORK_MEMORY, 8);
            int rc = (int) compress.invokeExact(src, (long) plain.length, dst, outLen, work);
            if (rc != 0) {
                throw new IllegalStateException("lzo1x_1_compress returned " + rc);
            }
            return dst.asSlice(0, outLen.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("lzo1x_1_compress failed", t);
        }
    }
}
