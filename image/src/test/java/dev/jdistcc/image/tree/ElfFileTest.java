package dev.jdistcc.image.tree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfFileTest {

    @Test
    void dynamicExecutableNamesItsLoaderAndLibraries() throws IOException {
        Path bwrap = Path.of("/usr/bin/bwrap");
        assertTrue(Files.exists(bwrap), "needs /usr/bin/bwrap: apt-get install bubblewrap");
        ElfFile elf = ElfFile.read(bwrap).orElseThrow();
        assertEquals("/lib64/ld-linux-x86-64.so.2", elf.interpreter().orElseThrow());
        assertTrue(elf.needed().contains("libc.so.6"), elf.needed().toString());
        assertTrue(elf.needed().contains("libcap.so.2"), elf.needed().toString());
    }

    @Test
    void staticExecutableHasNoLoader() throws IOException {
        ElfFile elf = ElfFile.read(Path.of("/bin/busybox")).orElseThrow();
        assertTrue(elf.interpreter().isEmpty());
        assertTrue(elf.needed().isEmpty());
    }

    @Test
    void scriptIsNotElf(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("s.sh"), "#!/bin/sh\necho this is a script long enough to read\n".repeat(3));
        assertTrue(ElfFile.read(script).isEmpty());
    }
}
