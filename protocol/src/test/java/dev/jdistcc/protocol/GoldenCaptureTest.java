package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Decodes and re-encodes the exchanges recorded between the real distcc 3.4 client and distccd. */
class GoldenCaptureTest {
    static final List<String> CASES = Golden.CASES;
    static final List<String> PLAIN_CASES = CASES.stream().filter(c -> c.startsWith("v1")).toList();
    static final List<String> LZO_CASES = CASES.stream().filter(c -> !c.startsWith("v1")).toList();
    private static final List<String> ARGV_HELLO = List.of("x86_64-linux-gnu-gcc", "-c", "hello.c", "-o", "hello.o");
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    @ParameterizedTest
    @FieldSource("CASES")
    void everyCaptureDecodesAndReEncodesToTheSamePackets(String name) throws IOException {
        WireVersion v = Golden.version(name);
        byte[] req = Golden.request(name);
        byte[] resp = Golden.response(name);
        Request request = Golden.decodeRequest(req, Limits.DEFAULT);
        Response response = Golden.decodeResponse(resp, v, Limits.DEFAULT);
        assertEquals(v, request.version());
        assertSamePackets(req, encode(request::write), v);
        assertSamePackets(resp, encode(response::write), v);
    }

    @ParameterizedTest
    @FieldSource("PLAIN_CASES")
    void uncompressedCapturesReEncodeByteForByte(String name) throws IOException {
        byte[] req = Golden.request(name);
        byte[] resp = Golden.response(name);
        assertArrayEquals(req, encode(Golden.decodeRequest(req, Limits.DEFAULT)::write));
        assertArrayEquals(resp, encode(Golden.decodeResponse(resp, Golden.version(name), Limits.DEFAULT)::write));
    }

    @ParameterizedTest
    @FieldSource("LZO_CASES")
    void miniLzoBodiesDecodeTheSameWithTheReferenceDecoder(String name) throws IOException {
        for (byte[] capture : List.of(Golden.request(name), Golden.response(name))) {
            for (Packets.Packet p : Packets.split(capture).list()) {
                if (isCompressed(p.token(), Golden.version(name)) && p.body().length > 0) {
                    byte[] ours = Compression.LZO.decompress(p.body(), Limits.DEFAULT);
                    assertArrayEquals(ours, Lzo1xDecoder.decode(p.body(), 1 << 24), name + " " + p);
                }
            }
        }
    }

    @Test
    void protocol1HelloCarriesRewrittenArgvAndPreprocessedSource() throws IOException {
        Request r = Golden.decodeRequest(Golden.request("v1-hello"), Limits.DEFAULT);
        assertEquals(ARGV_HELLO, r.header().argv());
        String doti = new String(source(r), StandardCharsets.UTF_8);
        assertTrue(doti.startsWith("# 0 \"hello.c\"") && doti.endsWith("int main(void) { return 42; }\n"), doti);
        Response resp = Golden.decodeResponse(Golden.response("v1-hello"), WireVersion.V1, Limits.DEFAULT);
        assertEquals(0, resp.status());
        assertArrayEquals(ELF, Arrays.copyOf(resp.object(), 4));
    }

    @Test
    void protocol2CarriesTheSameContentAsProtocol1() throws IOException {
        Request v1 = Golden.decodeRequest(Golden.request("v1-hello"), Limits.DEFAULT);
        Request v2 = Golden.decodeRequest(Golden.request("v2-hello"), Limits.DEFAULT);
        assertEquals(v1.header().argv(), v2.header().argv());
        assertArrayEquals(source(v1), source(v2));
        // gcc is deterministic here, so the object inside the LZO body is the protocol-1 object.
        byte[] o1 = Golden.decodeResponse(Golden.response("v1-hello"), WireVersion.V1, Limits.DEFAULT).object();
        byte[] o2 = Golden.decodeResponse(Golden.response("v2-hello"), WireVersion.V2, Limits.DEFAULT).object();
        assertArrayEquals(o1, o2);
    }

    @Test
    void compileErrorHasStatusDiagnosticsAndNoObject() throws IOException {
        for (String name : List.of("v1-compile-error", "v2-compile-error")) {
            Response r = Golden.decodeResponse(Golden.response(name), Golden.version(name), Limits.DEFAULT);
            assertEquals(0x100, r.status(), name);
            assertEquals(1, r.exitCode());
            String err = new String(r.stderr(), StandardCharsets.UTF_8);
            assertTrue(err.startsWith("bad.c:1:9: error: expected expression"), err);
            assertEquals(0, r.object().length);
            assertEquals(0, r.stdout().length);
        }
    }

    @Test
    void emptyDotiIsSentAsLengthZeroInBothProtocols() throws IOException {
        for (String name : List.of("v1-empty-doti", "v2-empty-doti")) {
            byte[] req = Golden.request(name);
            String tail = new String(req, req.length - 12, 12, StandardCharsets.US_ASCII);
            assertEquals("DOTI00000000", tail, name);
            assertEquals(0, source(Golden.decodeRequest(req, Limits.DEFAULT)).length);
        }
    }

    @Test
    void protocol3CarriesCwdFilesLinksAndReturnsDotd() throws IOException {
        Request r = Golden.decodeRequest(Golden.request("v3-pump"), Limits.DEFAULT);
        assertEquals("/tmp/jdistcc-golden/src", r.header().cwd());
        assertEquals(ARGV_HELLO, r.header().argv());
        var entries = assertInstanceOf(SourceInput.FileTree.class, r.input()).entries();
        String dir = "/tmp/jdistcc-golden/src/";
        assertEquals(List.of(dir + "hello.c", dir + "link.h", dir + "real.h", dir + "forcing_technique_271828"),
                entries.stream().map(SourceInput.FileEntry::name).toList());
        var hello = assertInstanceOf(SourceInput.FileEntry.RegularFile.class, entries.get(0));
        assertEquals("#include \"link.h\"\nint main(void) { return ANSWER; }\n",
                new String(hello.content(), StandardCharsets.UTF_8));
        assertEquals("real.h", assertInstanceOf(SourceInput.FileEntry.Symlink.class, entries.get(1)).target());
        assertEquals(0, assertInstanceOf(SourceInput.FileEntry.RegularFile.class, entries.get(3)).content().length);

        Response resp = Golden.decodeResponse(Golden.response("v3-pump"), WireVersion.V3, Limits.DEFAULT);
        assertEquals(0, resp.status());
        assertEquals("hello.o: hello.c link.h\n", new String(resp.dotd(), StandardCharsets.UTF_8));
        byte[] o1 = Golden.decodeResponse(Golden.response("v1-hello"), WireVersion.V1, Limits.DEFAULT).object();
        assertArrayEquals(o1, resp.object());
    }

    // ---- helpers ----

    interface Writer {
        void write(PacketWriter w) throws IOException;
    }

    static byte[] encode(Writer writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(new PacketWriter(out));
        return out.toByteArray();
    }

    private static byte[] source(Request r) {
        return assertInstanceOf(SourceInput.Preprocessed.class, r.input()).source();
    }

    /** Bulk bodies that this version compresses (FILE always LZO, reference §1.2). */
    static boolean isCompressed(Token t, WireVersion v) {
        return switch (t) {
            case DOTI, SERR, SOUT, DOTO, DOTD -> v.compression() != Compression.NONE;
            case FILE -> true;
            default -> false;
        };
    }

    /**
     * Same tokens in the same order, same numbers and strings; compressed bodies compared by content,
     * because our encoder may choose other matches than miniLZO.
     */
    static void assertSamePackets(byte[] expected, byte[] actual, WireVersion v) throws ProtocolException {
        var e = Packets.split(expected).list();
        var a = Packets.split(actual).list();
        assertEquals(Packets.split(expected).tokens(), Packets.split(actual).tokens());
        for (int i = 0; i < e.size(); i++) {
            var pe = e.get(i);
            var pa = a.get(i);
            if (isCompressed(pe.token(), v)) {
                Compression c = pe.token() == Token.FILE ? Compression.LZO : v.compression();
                assertArrayEquals(plain(pe.body(), c), plain(pa.body(), c), pe.toString());
            } else {
                assertEquals(pe.value(), pa.value(), pe.toString());
                assertArrayEquals(pe.body(), pa.body(), pe.toString());
            }
        }
    }

    private static byte[] plain(byte[] body, Compression c) throws ProtocolException {
        return body.length == 0 ? body : c.decompress(body, Limits.DEFAULT);
    }
}
