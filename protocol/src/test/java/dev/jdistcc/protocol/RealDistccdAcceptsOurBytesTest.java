package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live interop with the real Debian distccd 3.4: it must decode our LZO1X (its miniLZO
 * {@code lzo1x_decompress_safe}) and compile what we sent into exactly the object a local gcc makes, and we
 * must decode its miniLZO replies. Small, over-238-byte, over-64-KiB and incompressible inputs.
 */
class RealDistccdAcceptsOurBytesTest {
    private static RealDistccd distccd;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startDistccd() throws Exception {
        distccd = RealDistccd.start();
    }

    @AfterAll
    static void stopDistccd() throws Exception {
        if (distccd != null) {
            distccd.close();
        }
    }

    @Test
    void tinySourceUnder238Bytes() throws Exception {
        compileBothWaysAndCompare("tiny", "int tiny(void) { return 7; }\n");
    }

    @Test
    void sourceOver238BytesWithRepeats() throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            s.append("int f").append(i).append("(int x) { return x * ").append(i).append(" + 1; }\n");
        }
        compileBothWaysAndCompare("medium", s.toString());
    }

    @Test
    void compressibleSourceAndObjectOver64KiB() throws Exception {
        StringBuilder s = new StringBuilder("const unsigned char pattern[] = {");
        for (int i = 0; i < 120_000; i++) {
            s.append(i % 251).append(i % 16 == 15 ? ",\n" : ",");
        }
        s.append("};\n");
        var sizes = compileBothWaysAndCompare("pattern", s.toString());
        assertTrue(sizes.object() > 120_000 && sizes.compressedSource() < sizes.source() / 2, sizes.toString());
    }

    @Test
    void incompressibleSourceAndObjectOver64KiB() throws Exception {
        Random r = new Random(99);
        StringBuilder s = new StringBuilder("/* ");
        for (int i = 0; i < 100_000; i++) {
            s.append((char) ('0' + r.nextInt(75)));   // '0'..'z': no '*' or '/', so the comment cannot end early
        }
        s.append(" */\nconst unsigned char noise[] = {");
        for (int i = 0; i < 80_000; i++) {
            s.append(r.nextInt(256)).append(',');
        }
        s.append("};\n");
        var sizes = compileBothWaysAndCompare("noise", s.toString());
        assertTrue(sizes.object() > 80_000, sizes.toString());
    }

    @Test
    void referenceEncoderStreamsAreAcceptedToo() throws Exception {
        // The tests' second LZO1X encoder (Lzo1xEncoder) must also be what the C side reads, or it is no oracle.
        Random r = new Random(5);
        StringBuilder s = new StringBuilder("# 1 \"ref.c\"\n/* ");
        for (int i = 0; i < 70_000; i++) {
            s.append((char) ('0' + r.nextInt(75)));
        }
        s.append(" */\n");
        for (int i = 0; i < 3000; i++) {
            s.append("int g").append(i).append("(int x) { return x + ").append(i % 7).append("; }\n");
        }
        byte[] source = s.toString().getBytes(StandardCharsets.US_ASCII);
        RequestHeader h = RequestHeader.of(WireVersion.V2, List.of("gcc", "-c", "ref.c", "-o", "ref.o"));
        byte[] wire = GoldenCaptureTest.encode(w -> {
            Request.writeHeader(w, h);
            w.writeRaw(Token.DOTI, Lzo1xEncoder.encode(source));
        });
        Response resp = distccd.exchangeRaw(wire, WireVersion.V2);
        assertEquals(0, resp.status(), () -> new String(resp.stderr(), StandardCharsets.UTF_8));
        Path dir = Files.createDirectories(tmp.resolve("ref"));
        Files.write(dir.resolve("ref.i"), source);
        assertArrayEquals(gcc(dir, "ref.i", "ref.o"), resp.object());
    }

    @Test
    void protocol3TreeWithOurLzoFilesIsCompiledByRealDistccd() throws Exception {
        String dir = "/tmp/jdistcc-live-client/src";
        StringBuilder big = new StringBuilder("#define BIG_LEN 70000\nstatic const char big[] = \"");
        Random r = new Random(3);
        for (int i = 0; i < 70_000; i++) {
            big.append((char) ('a' + r.nextInt(26)));
        }
        big.append("\";\n");
        String main = "#include \"big.h\"\n#include \"alias.h\"\nint main(void) { return big[ANSWER] + BIG_LEN; }\n";
        var files = List.<SourceInput.FileEntry>of(
                file(dir + "/main.c", main),
                file(dir + "/big.h", big.toString()),
                new SourceInput.FileEntry.Symlink(dir + "/alias.h", "real.h"),
                file(dir + "/real.h", "#define ANSWER 42\n"),
                file(dir + "/forcing_technique_271828", ""));
        Request req = new Request(new RequestHeader(WireVersion.V3, null, dir,
                List.of("gcc", "-c", "main.c", "-o", "main.o")), new SourceInput.FileTree(files));
        Response resp = distccd.exchange(req);
        assertEquals(0, resp.status(), () -> new String(resp.stderr(), StandardCharsets.UTF_8));
        assertEquals("main.o: main.c big.h alias.h\n", new String(resp.dotd(), StandardCharsets.UTF_8));

        Path local = Files.createDirectories(tmp.resolve("v3"));
        Files.writeString(local.resolve("main.c"), main);
        Files.writeString(local.resolve("big.h"), big);
        Files.writeString(local.resolve("real.h"), "#define ANSWER 42\n");
        Files.createSymbolicLink(local.resolve("alias.h"), Path.of("real.h"));
        assertArrayEquals(gcc(local, "main.c", "main.o"), resp.object());
    }

    @Test
    void extensionVersionGetsNoAnswerFromStockDistccd() throws Exception {
        // WireVersion's promise: distccd 3.4 drops DIST > 3 without a byte, so jdistcc clients see
        // "no answer" (and fall back) rather than a wrong result. It closes with our unread request bytes
        // in its socket, so the kernel sends RST: a reader usually sees "Connection reset", not a clean EOF.
        Request req = new Request(RequestHeader.of(WireVersion.extension(WireVersion.FEATURE_LZ4),
                List.of("gcc", "-c", "t.c", "-o", "t.o")), new SourceInput.Preprocessed("int x;\n".getBytes(StandardCharsets.US_ASCII)));
        var e = assertThrows(IOException.class, () -> distccd.exchange(req));
        boolean cleanEof = e instanceof ProtocolException.Truncated t && t.getMessage().contains("DONE header") && t.getMessage().endsWith("got 0");
        boolean reset = e instanceof SocketException && String.valueOf(e.getMessage()).contains("reset");
        assertTrue(cleanEof || reset, "expected no answer at all, got " + e);
    }

    // ---- helpers ----

    record Sizes(int source, int compressedSource, int object) {
    }

    /** Sends {@code body} (with a line marker naming NAME.c) as a v2 job and compares with a local compile. */
    private static Sizes compileBothWaysAndCompare(String name, String body) throws Exception {
        byte[] source = ("# 1 \"" + name + ".c\"\n" + body).getBytes(StandardCharsets.US_ASCII);
        Request req = new Request(RequestHeader.of(WireVersion.V2,
                List.of("gcc", "-O1", "-c", name + ".c", "-o", name + ".o")), new SourceInput.Preprocessed(source));
        Response resp = distccd.exchange(req);
        assertEquals(0, resp.status(), () -> "remote compile failed: " + new String(resp.stderr(), StandardCharsets.UTF_8));
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve(name + ".i"), source);
        assertArrayEquals(gcc(dir, name + ".i", name + ".o", "-O1"), resp.object(), name + ": object differs from a local compile");
        return new Sizes(source.length, Compression.LZO.compress(source).length, resp.object().length);
    }

    private static byte[] gcc(Path dir, String in, String out, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-c", in, "-o", out));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("local gcc timed out");
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "local gcc failed (apt-get install gcc): " + log);
        return Files.readAllBytes(dir.resolve(out));
    }

    private static SourceInput.FileEntry file(String name, String content) {
        return new SourceInput.FileEntry.RegularFile(name, content.getBytes(StandardCharsets.US_ASCII));
    }
}
