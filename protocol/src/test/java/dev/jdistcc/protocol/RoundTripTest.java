package dev.jdistcc.protocol;

import static dev.jdistcc.protocol.GoldenCaptureTest.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every message type in every version, written then read back. */
class RoundTripTest {
    static final List<WireVersion> VERSIONS = List.of(
            new WireVersion(0), WireVersion.V1, WireVersion.V2, WireVersion.V3,
            WireVersion.extension(WireVersion.FEATURE_LZ4),
            WireVersion.extension(WireVersion.FEATURE_TOOLCHAIN),
            WireVersion.extension(WireVersion.FEATURE_LZ4 | WireVersion.FEATURE_TOOLCHAIN));
    private static final byte[] BIG = LzoCodecTest.text(100_000);
    private static final byte[] NOISE = LzoCodecTest.random(new Random(11), 70_000);

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void requestRoundTrips(WireVersion v) throws IOException {
        for (byte[] content : List.of(new byte[0], "int x;\n".getBytes(StandardCharsets.US_ASCII), BIG, NOISE)) {
            Request sent = request(v, content);
            Request got = decodeRequest(encode(sent::write));
            assertEquals(sent.header(), got.header());
            assertInputsEqual(sent.input(), got.input());
        }
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aStreamedInputIsByteForByteTheInputWrittenFromMemoryWhereverStreamingIsAllowed(WireVersion v)
            throws IOException {
        boolean allowed = v.compression() == Compression.NONE && !v.serverCpp();
        assertEquals(allowed, Request.canStreamInput(v));
        if (!allowed) {
            assertThrows(IllegalArgumentException.class,
                    () -> Request.writeStreamedInputHeader(new PacketWriter(new ByteArrayOutputStream()), v, 1));
            return;
        }
        for (byte[] content : List.of(new byte[0], BIG)) {
            byte[] fromMemory = encode(w -> Request.writeInput(w, v, new SourceInput.Preprocessed(content)));
            byte[] streamed = encode(w -> {
                Request.writeStreamedInputHeader(w, v, content.length);
                w.flush();
            });
            byte[] whole = new byte[streamed.length + content.length];
            System.arraycopy(streamed, 0, whole, 0, streamed.length);
            System.arraycopy(content, 0, whole, streamed.length, content.length);
            assertArrayEquals(fromMemory, whole);
        }
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void responsesRoundTrip(WireVersion v) throws IOException {
        List<Response> cases = List.of(
                new Response(v, 0, new byte[0], new byte[0], new byte[0], new byte[0]),
                new Response(v, 0, "warning: x\n".getBytes(StandardCharsets.UTF_8), "out".getBytes(StandardCharsets.UTF_8),
                        BIG, "t.o: t.c\n".getBytes(StandardCharsets.UTF_8)),
                new Response(v, Response.waitStatusForExit(1), "error\n".getBytes(StandardCharsets.UTF_8), null, null, null),
                new Response(v, 9, NOISE, null, null, null),               // killed by SIGKILL
                new Response(v, Response.waitStatusForExit(110), null, null, null, null));
        for (Response sent : cases) {
            Response got = decodeResponse(encode(sent::write), v);
            assertEquals(sent.status(), got.status());
            assertArrayEquals(sent.stderr(), got.stderr());
            assertArrayEquals(sent.stdout(), got.stdout());
            assertArrayEquals(sent.object(), got.object());
            if (v.serverCpp() && sent.status() == 0) {
                assertArrayEquals(sent.dotd(), got.dotd());
            } else if (!v.serverCpp()) {
                assertNull(got.dotd());
            }
        }
    }

    @Test
    void extensionHeaderSendsToolAndTsrcRightAfterDist() throws IOException {
        var ref = new RequestHeader.ToolchainRef("sha256:" + "ab".repeat(32), "http://127.0.0.1:8080/t/x.tar.zst");
        WireVersion v = WireVersion.extension(WireVersion.FEATURE_LZ4 | WireVersion.FEATURE_TOOLCHAIN);
        Request sent = new Request(new RequestHeader(v, ref, null, List.of("gcc", "-c", "t.c", "-o", "t.o")),
                new SourceInput.Preprocessed(BIG));
        byte[] wire = encode(sent::write);
        assertEquals(List.of(Token.DIST, Token.TOOL, Token.TSRC, Token.ARGC, Token.ARGV, Token.ARGV, Token.ARGV,
                Token.ARGV, Token.ARGV, Token.DOTI), Packets.split(wire).tokens());
        assertEquals("DIST4a440003", new String(wire, 0, 12, StandardCharsets.US_ASCII));
        Request got = decodeRequest(wire);
        assertEquals(ref, got.header().toolchain());
        // The DOTI body is LZ4: a big-endian plaintext length, then the block.
        byte[] doti = Packets.split(wire).list().getLast().body();
        assertArrayEquals(BIG, Compression.LZ4.decompress(doti, Limits.DEFAULT));
    }

    @Test
    void protocol3TreeWithFilesLinksAndEmptyFilesRoundTrips() throws IOException {
        var entries = List.<SourceInput.FileEntry>of(
                new SourceInput.FileEntry.RegularFile("/home/u/p/main.c", "#include \"big.h\"\n".getBytes(StandardCharsets.UTF_8)),
                new SourceInput.FileEntry.RegularFile("/home/u/p/big.h", BIG),
                new SourceInput.FileEntry.Symlink("/home/u/p/inc", "../../../usr/include"),
                new SourceInput.FileEntry.Symlink("/home/u/p/abs", "/opt/x/y.h"),
                new SourceInput.FileEntry.RegularFile("/home/u/p/forcing_technique_271828", new byte[0]));
        Request sent = new Request(new RequestHeader(WireVersion.V3, null, "/home/u/p",
                List.of("gcc", "-c", "main.c", "-o", "main.o")), new SourceInput.FileTree(entries));
        byte[] wire = encode(sent::write);
        assertInputsEqual(sent.input(), decodeRequest(wire).input());
        // The empty file is FILE00000000: the zero-length rule applies to FILE too.
        assertEquals("FILE00000000", new String(wire, wire.length - 12, 12, StandardCharsets.US_ASCII));
    }

    @Test
    void emptyBodiesAreSentAsBareZeroLengthInEveryCompression() throws IOException {
        for (WireVersion v : List.of(WireVersion.V1, WireVersion.V2, WireVersion.extension(WireVersion.FEATURE_LZ4))) {
            byte[] wire = encode(new Response(v, 0, null, null, null, null)::write);
            String s = new String(wire, StandardCharsets.US_ASCII);
            assertEquals(String.format("DONE%08xSTAT00000000SERR00000000SOUT00000000DOTO00000000", v.value()), s);
        }
    }

    @Test
    void headersAreWrittenInLowerCaseHex() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PacketWriter(out).writeValue(Token.STAT, 0xABCDEF01L);
        assertEquals("STATabcdef01", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void upperAndMixedCaseHexAreAccepted() throws IOException {
        for (String hex : List.of("ABCDEF01", "AbCdEf01", "abcdef01")) {
            var r = new PacketReader(new ByteArrayInputStream(("STAT" + hex).getBytes(StandardCharsets.US_ASCII)), Limits.DEFAULT);
            assertEquals(0xabcdef01L, r.readValue(Token.STAT));
        }
    }

    @Test
    void distZeroIsReadAsPlainProtocolAndEchoedAsZero() throws IOException {
        // reference §1.3 quirk: distccd accepts DIST00000000, treats it like 1 and answers DONE00000000.
        byte[] wire = "DIST00000000ARGC00000001ARGV00000003gccDOTI00000002x\n".getBytes(StandardCharsets.US_ASCII);
        Request r = decodeRequest(wire);
        assertEquals(Compression.NONE, r.version().compression());
        assertEquals("DONE00000000", new String(encode(new Response(r.version(), 0, null, null, null, null)::write),
                0, 12, StandardCharsets.US_ASCII));
    }

    @Test
    void argvKeepsNonAsciiAndEmptyElements() throws IOException {
        Request sent = new Request(RequestHeader.of(WireVersion.V1, List.of("gcc", "", "-DNAME=\"Grüße ✓\"", "-c", "ä.c")),
                new SourceInput.Preprocessed(new byte[] {'x'}));
        byte[] wire = encode(sent::write);
        assertEquals(sent.header(), decodeRequest(wire).header());
        assertEquals("ARGV00000000", new String(wire, 12 + 12 + 15, 12, StandardCharsets.US_ASCII));
    }

    @Test
    void failedCompileNeverCarriesAnObject() throws IOException {
        Response r = new Response(WireVersion.V2, Response.waitStatusForExit(1), null, null, BIG, null);
        assertEquals(0, r.object().length);
        assertEquals(List.of(Token.DONE, Token.STAT, Token.SERR, Token.SOUT, Token.DOTO),
                Packets.split(encode(r::write)).tokens());
    }

    @Test
    void doneThatDoesNotEchoTheRequestIsRefused() throws IOException {
        byte[] wire = encode(new Response(WireVersion.V1, 0, null, null, null, null)::write);
        assertThrows(ProtocolException.UnsupportedVersion.class, () -> decodeResponse(wire, WireVersion.V2));
    }

    // ---- helpers ----

    static Request request(WireVersion v, byte[] content) {
        var tool = v.has(WireVersion.FEATURE_TOOLCHAIN) ? new RequestHeader.ToolchainRef("sha256:00ff", "") : null;
        List<String> argv = List.of("gcc", "-O2", "-c", "t.c", "-o", "t.o");
        if (v.serverCpp()) {
            return new Request(new RequestHeader(v, tool, "/src/dir", argv), new SourceInput.FileTree(List.of(
                    new SourceInput.FileEntry.RegularFile("/src/dir/t.c", content),
                    new SourceInput.FileEntry.Symlink("/src/dir/l.h", "t.h"))));
        }
        return new Request(new RequestHeader(v, tool, null, argv), new SourceInput.Preprocessed(content));
    }

    static Request decodeRequest(byte[] wire) throws IOException {
        var in = new ByteArrayInputStream(wire);
        Request r = Request.read(new PacketReader(in, Limits.DEFAULT));
        assertEquals(0, in.available(), "the reader must consume exactly the message");
        return r;
    }

    static Response decodeResponse(byte[] wire, WireVersion sent) throws IOException {
        var in = new ByteArrayInputStream(wire);
        Response r = Response.read(new PacketReader(in, Limits.DEFAULT), sent);
        assertEquals(0, in.available(), "the reader must consume exactly the message");
        return r;
    }

    static void assertInputsEqual(SourceInput expected, SourceInput actual) {
        switch (expected) {
            case SourceInput.Preprocessed p ->
                    assertArrayEquals(p.source(), assertInstanceOf(SourceInput.Preprocessed.class, actual).source());
            case SourceInput.FileTree t -> {
                var got = assertInstanceOf(SourceInput.FileTree.class, actual).entries();
                assertEquals(t.entries().size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    switch (t.entries().get(i)) {
                        case SourceInput.FileEntry.RegularFile f -> {
                            var g = assertInstanceOf(SourceInput.FileEntry.RegularFile.class, got.get(i));
                            assertEquals(f.name(), g.name());
                            assertArrayEquals(f.content(), g.content());
                        }
                        case SourceInput.FileEntry.Symlink l -> assertEquals(l, got.get(i));
                    }
                }
            }
        }
    }
}
