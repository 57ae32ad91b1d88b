package dev.jdistcc.netboot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpxeScriptTest {

    @Test
    void entryScriptChainsToTheScriptNamedByTheBootingNicsMac() {
        String s = IpxeScript.entry("http://10.0.2.100:8000/netboot");
        assertTrue(s.startsWith("#!ipxe\n"), s);
        assertTrue(s.contains("chain http://10.0.2.100:8000/netboot/boot/${netX/mac:hexhyp}/boot.ipxe || goto failed\n"), s);
        assertTrue(s.contains("\nreboot\n"), s);
    }

    @Test
    void bootScriptLoadsKernelAndEveryInitrdFromTheMachinesDirectory(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"vmlinuz", "a.img", "b.img"}) {
            Files.writeString(dir.resolve(f), f);
        }
        BootArtifacts a = BootArtifacts.of(BootFile.of("vmlinuz", dir.resolve("vmlinuz")),
                List.of(BootFile.of("a.img", dir.resolve("a.img")), BootFile.of("b.img", dir.resolve("b.img"))), "");
        MacAddress mac = MacAddress.parse("52:54:00:12:34:56");
        String s = IpxeScript.boot("http://h:1", mac, a, "initrd=a.img initrd=b.img quiet");
        List<String> lines = s.lines().toList();
        assertEquals("#!ipxe", lines.getFirst());
        assertTrue(lines.contains("kernel http://h:1/boot/52-54-00-12-34-56/vmlinuz initrd=a.img initrd=b.img quiet"
                + " || goto failed"), s);
        int ia = lines.indexOf("initrd http://h:1/boot/52-54-00-12-34-56/a.img || goto failed");
        int ib = lines.indexOf("initrd http://h:1/boot/52-54-00-12-34-56/b.img || goto failed");
        assertTrue(ia > 0 && ib > ia, s);
        assertTrue(lines.indexOf("boot || goto failed") > ib, s);
    }
}
