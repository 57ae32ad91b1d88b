package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.Limits;
import dev.jdistcc.protocol.PacketReader;
import dev.jdistcc.protocol.PacketWriter;
import dev.jdistcc.protocol.Request;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.WireVersion;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What our client puts on the wire for a packaged compiler: TOOL/TSRC only to {@code ,lz4} hosts, and a peer that
 * refuses the toolchain (closes without a byte, as a jdistcc distccd without it does) is asked again by name.
 * The peer here is a small scripted server speaking the protocol codec; real volunteers: server's
 * ToolchainNamingTest.
 */
class ToolchainRequestTest {
    static final String DIGEST = "cd".repeat(32);
    static final byte[] OBJECT = "not really an object".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Accepts {@code n} connections; refuses (closes) requests naming a toolchain when {@code refuseTool}. */
    static final class ScriptedPeer implements AutoCloseable {
        final ServerSocket socket;
        final List<RequestHeader> headers = new CopyOnWriteArrayList<>();
        final Thread thread;

        ScriptedPeer(int n, boolean refuseTool) throws Exception {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < n; i++) {
                    try (Socket s = socket.accept()) {
                        PacketReader r = new PacketReader(s.getInputStream(), Limits.DEFAULT);
                        RequestHeader h = Request.readHeader(r);
                        headers.add(h);
                        if (h.toolchain() != null && refuseTool) {
                            continue;
                        }
                        Request.readInput(r, h.version());
                        PacketWriter w = new PacketWriter(s.getOutputStream());
                        new Response(h.version(), 0, null, null, OBJECT, null).write(w);
                        w.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(10_000);
        }
    }

    CompileResult compile(String hosts, StringBuilder log) throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        assertTrue(Files.isExecutable(gcc), "gcc is missing: apt-get install gcc");
        Path index = dir.resolve("toolchains");
        new ToolchainIndex("http://127.0.0.1:3640/", List.of(ToolchainIndex.entryFor(DIGEST, gcc))).write(index);
        Files.writeString(dir.resolve("x.c"), "int f(void) { return 1; }\n");
        Map<String, String> env = new HashMap<>(Map.of("DISTCC_HOSTS", hosts, "DISTCC_DIR",
                Files.createDirectories(dir.resolve("dcc")).toString(), "JDISTCC_TOOLCHAIN_INDEX", index.toString(),
                "DISTCC_FALLBACK", "0", "PATH", "/usr/bin:/bin", "HOME", dir.toString()));
        ClientEnv ce = ClientEnv.from(env, dir);
        ClientLog cl = (level, fn, msg) -> log.append(msg).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new Distcc(ce, cl, Transport.standard(ce)).compile(new CompileJob(List.of("gcc", "-c", "x.c", "-o", "x.o"),
                dir, "/usr/bin:/bin", new CompileJob.Stdio(out, out)));
    }

    @Test
    void lz4HostIsSentTheDigestAndTheHubOfThePackagedCompiler() throws Exception {
        StringBuilder log = new StringBuilder();
        try (ScriptedPeer peer = new ScriptedPeer(1, false)) {
            CompileResult r = compile("127.0.0.1:" + peer.port() + ",lz4", log);
            assertEquals(0, r.exitCode(), log.toString());
            assertEquals(CompileResult.Where.REMOTE, r.where(), log.toString());
            RequestHeader h = peer.headers.getFirst();
            assertEquals(new RequestHeader.ToolchainRef(DIGEST, "http://127.0.0.1:3640/"), h.toolchain());
            assertTrue(h.version().has(WireVersion.FEATURE_TOOLCHAIN) && h.version().has(WireVersion.FEATURE_LZ4));
        }
        assertArrayEquals(OBJECT, Files.readAllBytes(dir.resolve("x.o")));
    }

    @Test
    void peerRefusingTheToolchainIsAskedAgainByCompilerName() throws Exception {
        StringBuilder log = new StringBuilder();
        try (ScriptedPeer peer = new ScriptedPeer(2, true)) {
            CompileResult r = compile("127.0.0.1:" + peer.port() + ",lz4", log);
            assertEquals(0, r.exitCode(), log.toString());
            assertEquals(CompileResult.Where.REMOTE, r.where(), log.toString());
            assertEquals(2, peer.headers.size());
            assertNotNull(peer.headers.get(0).toolchain());
            assertNull(peer.headers.get(1).toolchain());
            assertEquals(WireVersion.extension(WireVersion.FEATURE_LZ4), peer.headers.get(1).version());
        }
        assertTrue(log.toString().contains("refused toolchain " + DIGEST.substring(0, 12)), log.toString());
    }

    @Test
    void hostsWithoutTheJdistccExtensionNeverSeeTheToolchain() throws Exception {
        StringBuilder log = new StringBuilder();
        try (ScriptedPeer peer = new ScriptedPeer(1, true)) {
            CompileResult r = compile("127.0.0.1:" + peer.port() + ",lzo", log);
            assertEquals(0, r.exitCode(), log.toString());
            assertNull(peer.headers.getFirst().toolchain());
            assertEquals(WireVersion.V2, peer.headers.getFirst().version());
        }
        assertTrue(!log.toString().contains("is toolchain"), log.toString());
    }
}
