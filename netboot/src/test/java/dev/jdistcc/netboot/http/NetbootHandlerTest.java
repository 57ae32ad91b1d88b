package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.testing.TestKeys;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.BootStats;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.NetbootService;
import io.undertow.server.handlers.PathHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler on a real Undertow server on loopback, driven by a real HTTP client. */
class NetbootHandlerTest {

    static final String KEY = TestKeys.KEY;
    static final MacAddress MAC = new MacAddress(0x525400123456L);
    static final MacAddress OTHER = new MacAddress(0x5254009999AAL);

    @TempDir
    Path dir;
    byte[] kernel;
    NetbootService service;
    NetbootHttpServer server;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        kernel = new byte[300_000];
        new Random(7).nextBytes(kernel);
        Files.write(dir.resolve("vmlinuz"), kernel);
        Files.write(dir.resolve("initrd.img"), Arrays.copyOf(kernel, 1234));
        BootArtifacts a = BootArtifacts.of(BootFile.of("vmlinuz", dir.resolve("vmlinuz")),
                List.of(BootFile.of("initrd.img", dir.resolve("initrd.img"))), "console=ttyS0");
        BootConfig common = new BootConfig("http://10.0.0.1:3633/", KEY, List.of());
        service = new NetbootService(a, BootConfigs.perMac(Map.of(OTHER, common.withExtraArgs(List.of("jdistcc.jobs=2"))),
                common), NetbootListener.NONE);
        PathHandler paths = new PathHandler().addPrefixPath("/netboot", NetbootHandler.create(service));
        server = NetbootHttpServer.start(InetAddress.getLoopbackAddress(), 0, paths);
        base = server.baseUrl() + "/netboot";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void entryScriptChainsToPerMacScriptsUnderTheMountPoint() throws Exception {
        HttpResponse<byte[]> r = get("/boot.ipxe");
        assertEquals(200, r.statusCode());
        assertTrue(new String(r.body()).contains("chain " + base + "/boot/${netX/mac:hexhyp}/boot.ipxe"),
                new String(r.body()));
    }

    @Test
    void perMacScriptCarriesHubKeyAndThatMachinesOwnArguments() throws Exception {
        String mine = new String(get("/boot/52-54-00-12-34-56/boot.ipxe").body());
        assertTrue(mine.contains("kernel " + base + "/boot/52-54-00-12-34-56/vmlinuz initrd=initrd.img console=ttyS0"
                + " jdistcc.hub=http://10.0.0.1:3633/ jdistcc.key=" + KEY + " || goto failed"), mine);
        assertTrue(mine.contains("initrd " + base + "/boot/52-54-00-12-34-56/initrd.img"), mine);
        String other = new String(get("/boot/52:54:00:99:99:aa/boot.ipxe").body());
        assertTrue(other.contains("jdistcc.key=" + KEY + " jdistcc.jobs=2 || goto failed"), other);
    }

    @Test
    void wholeFileHasLengthAndStrongEtagAndBytesCountForTheMachine() throws Exception {
        get("/boot/52-54-00-12-34-56/boot.ipxe");
        HttpResponse<byte[]> r = get("/boot/52-54-00-12-34-56/vmlinuz");
        assertEquals(200, r.statusCode());
        assertArrayEquals(kernel, r.body());
        assertEquals("\"" + BootFile.sha256(dir.resolve("vmlinuz")) + "\"", r.headers().firstValue("ETag").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals(List.of(Long.toString(kernel.length)), r.headers().allValues("Content-Length"));
        BootStats.Machine m = service.stats().machine(MAC).orElseThrow();
        assertEquals(1, m.boots());
        assertEquals(1, m.filesCompleted());
        assertTrue(m.bootBytes() > kernel.length && m.bootBytes() < kernel.length + 1000, m.toString());
    }

    @Test
    void rangeRequestGetsPartialContentWithContentRange() throws Exception {
        HttpResponse<byte[]> r = get("/files/vmlinuz", "Range", "bytes=1000-1999");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 1000-1999/300000", r.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(kernel, 1000, 2000), r.body());
        HttpResponse<byte[]> tail = get("/files/vmlinuz", "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(kernel, kernel.length - 10, kernel.length), tail.body());
    }

    @Test
    void rangePastTheEndIs416WithTheLength() throws Exception {
        HttpResponse<byte[]> r = get("/files/initrd.img", "Range", "bytes=5000-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */1234", r.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void staleIfRangeGetsTheWholeFile() throws Exception {
        HttpResponse<byte[]> r = get("/files/vmlinuz", "Range", "bytes=0-9", "If-Range", "\"old\"");
        assertEquals(200, r.statusCode());
        assertEquals(kernel.length, r.body().length);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals(206, get("/files/vmlinuz", "Range", "bytes=0-9", "If-Range", etag).statusCode());
    }

    @Test
    void matchingIfNoneMatchIsNotModified() throws Exception {
        String etag = get("/files/initrd.img").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> r = get("/files/initrd.img", "If-None-Match", etag);
        assertEquals(304, r.statusCode());
        assertEquals(0, r.body().length);
    }

    @Test
    void headHasTheHeadersOfGetWithoutBodyOrCountedBytes() throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/boot/52-54-00-12-34-56/vmlinuz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, r.statusCode());
        assertEquals(Long.toString(kernel.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(service.stats().machine(MAC).isEmpty());
    }

    @Test
    void unknownPathsFilesAndMethodsAreRefused() throws Exception {
        assertEquals(404, get("/files/passwd").statusCode());
        assertEquals(404, get("/boot/not-a-mac/vmlinuz").statusCode());
        assertEquals(404, get("/files/../../etc/passwd").statusCode());
        assertEquals(404, get("/boot/52-54-00-12-34-56/x/vmlinuz").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/boot.ipxe"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void statusShowsFilesAndMachinesAsJsonAndHtml() throws Exception {
        get("/boot/52-54-00-12-34-56/boot.ipxe");
        get("/boot/52-54-00-12-34-56/initrd.img");
        String json = new String(get("/status.json").body());
        assertTrue(json.contains("\"mac\":\"52:54:00:12:34:56\""), json);
        assertTrue(json.contains("\"name\":\"initrd.img\",\"size\":1234"), json);
        assertTrue(json.contains("\"entryScript\":\"" + base + "/boot.ipxe\""), json);
        String html = new String(get("/status").body());
        assertTrue(html.contains("<td>52:54:00:12:34:56</td>") && html.contains("jdistcc.hub=http://10.0.0.1:3633/"), html);
    }
}
