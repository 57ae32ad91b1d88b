package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.BundleEntry;
import dev.jdistcc.toolchain.BundleWriter;
import dev.jdistcc.toolchain.Compression;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolchainPackagerTest {

    static Set<String> paths(PackagedToolchain t) {
        return t.tree().entries().stream().map(BundleEntry::path).collect(Collectors.toSet());
    }

    @Test
    void nativeGccBundleHoldsBothDriversCc1AsLtoPluginAndTheLoaderClosure() throws Exception {
        Tools.require("gcc", "gcc");
        PackagedToolchain t = new ToolchainPackager().packageCompiler("gcc");
        Set<String> p = paths(t);
        String gcc = t.compilers().get("gcc").substring(1);
        String gxx = t.compilers().get("g++").substring(1);
        assertTrue(p.contains(gcc) && p.contains(gxx), "drivers " + gcc + ", " + gxx);
        String libexec = "usr/lib/gcc/" + t.target() + "/" + t.version() + "/";
        for (String f : new String[]{libexec + "cc1", libexec + "cc1plus", libexec + "liblto_plugin.so", "usr/bin/as"}) {
            assertTrue(p.contains(f), f + " missing from " + new java.util.TreeSet<>(p));
        }
        assertTrue(p.stream().anyMatch(s -> s.endsWith("/libc.so.6")), "libc");
        assertTrue(p.stream().anyMatch(s -> s.endsWith("/ld-linux-x86-64.so.2")), "loader");
        assertTrue(p.stream().anyMatch(s -> s.contains("libisl")), "cc1's libisl");
        assertEquals("gcc", t.family());
        assertEquals("x86_64", t.hostArch());
        assertTrue(t.compilers().containsKey("x86_64-linux-gnu-gcc-12"), t.compilers().toString());
    }

    @Test
    void packagingTheSameCompilerTwiceGivesTheSameDigestAndArchiveBytes() throws Exception {
        Tools.require("gcc", "gcc");
        PackagedToolchain a = new ToolchainPackager().packageCompiler("gcc");
        PackagedToolchain b = new ToolchainPackager().packageCompiler("x86_64-linux-gnu-g++-12");
        assertEquals(a.digest(), b.digest(), "gcc and its g++ sibling are one installation");
        BundleWriter w = new BundleWriter(Compression.NONE, 1_700_000_000L);
        ByteArrayOutputStream x = new ByteArrayOutputStream();
        ByteArrayOutputStream y = new ByteArrayOutputStream();
        w.writeTo(a.tree(), x);
        w.writeTo(b.tree(), y);
        assertArrayEquals(x.toByteArray(), y.toByteArray());
    }

    @Test
    void aarch64CrossGccBundleCarriesTheTargetAssemblerAndRunsOnTheHost() throws Exception {
        Tools.require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
        PackagedToolchain t = new ToolchainPackager().packageCompiler("aarch64-linux-gnu-gcc");
        Set<String> p = paths(t);
        assertEquals("aarch64-linux-gnu", t.target());
        assertEquals("x86_64", t.hostArch());
        assertTrue(p.contains("usr/lib/gcc-cross/aarch64-linux-gnu/12/cc1"), "cross cc1");
        assertTrue(p.contains("usr/aarch64-linux-gnu/bin/as"), "target as: " + new java.util.TreeSet<>(p));
        assertTrue(p.stream().anyMatch(s -> s.contains("libbfd") && s.contains("arm64")), "target libbfd");
        assertTrue(t.compilers().containsKey("aarch64-linux-gnu-gcc"));
    }

    @Test
    void armhfCrossGccIsPackagedWithItsOwnCc1() throws Exception {
        Tools.require("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf");
        PackagedToolchain t = new ToolchainPackager().packageCompiler("arm-linux-gnueabihf-gcc");
        assertEquals("arm-linux-gnueabihf", t.target());
        assertTrue(paths(t).contains("usr/lib/gcc-cross/arm-linux-gnueabihf/12/cc1"));
    }

    @Test
    void clangBundleHoldsTheBinaryItsLlvmClosureAndALinkPerName() throws Exception {
        Tools.require("clang", "clang");
        PackagedToolchain t = new ToolchainPackager().packageCompiler("clang++");
        Set<String> p = paths(t);
        assertEquals("clang", t.family());
        assertTrue(p.stream().anyMatch(s -> s.contains("libLLVM")), "libLLVM");
        assertEquals("/usr/bin/clang++", t.compilers().get("clang++"), "clang picks C++ mode from argv[0]");
        assertTrue(p.contains("usr/bin/clang++") && p.contains("usr/bin/clang"));
    }

    @Test
    void wrapperScriptIsRefusedWithAReason() {
        Tools.require("c99-gcc", "gcc");
        dev.jdistcc.toolchain.ToolchainException.Packaging e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.jdistcc.toolchain.ToolchainException.Packaging.class, () -> new ToolchainPackager().packageCompiler("c99-gcc"));
        assertTrue(e.getMessage().contains("wrapper script"), e.getMessage());
    }

    @Test
    void absoluteSymlinksAreStoredRelativeSoTheTreeIsSelfContained() throws Exception {
        Tools.require("gcc", "gcc");
        PackagedToolchain t = new ToolchainPackager().packageCompiler("gcc");
        for (BundleEntry e : t.tree().entries()) {
            if (e instanceof BundleEntry.Symlink s) {
                assertTrue(!s.target().startsWith("/"), s.path() + " -> " + s.target());
                assertTrue(Files.exists(Path.of("/" + s.path())), "mirrors a host link: " + s.path());
            }
        }
    }
}
