package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.testing.TestKeys;
import dev.jdistcc.netboot.BootArtifacts;
import dev.jdistcc.netboot.BootConfig;
import dev.jdistcc.netboot.BootConfigs;
import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.NetbootListener;
import dev.jdistcc.netboot.NetbootService;
import io.undertow.Handlers;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mounted the way the hub composes its routes: a RoutingHandler behind a BlockingHandler. */
class HubMountTest {

    @Test
    void handlerMountedOnTheHubsRouterServesScriptsAndFilesUnderItsPrefix(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "K".repeat(5000));
        Files.writeString(dir.resolve("initrd.img"), "I".repeat(700));
        NetbootService service = new NetbootService(BootArtifacts.of(BootFile.of("vmlinuz", dir.resolve("vmlinuz")),
                List.of(BootFile.of("initrd.img", dir.resolve("initrd.img"))), ""),
                BootConfigs.fixed(new BootConfig("http://10.0.0.1:3640/", TestKeys.KEY, List.of())), NetbootListener.NONE);
        RoutingHandler routes = Handlers.routing();
        routes.get("/api/volunteers", ex -> ex.getResponseSender().send("hub route\n"));
        NetbootHandler.create(service).addTo(routes, "/netboot");
        HttpClient http = HttpClient.newHttpClient();
        try (NetbootHttpServer hub = NetbootHttpServer.start(InetAddress.getLoopbackAddress(), 0, new BlockingHandler(routes))) {
            String base = hub.baseUrl();
            String entry = get(http, base + "/netboot/boot.ipxe").body();
            assertTrue(entry.contains("chain " + base + "/netboot/boot/${netX/mac:hexhyp}/boot.ipxe"), entry);
            String script = get(http, base + "/netboot/boot/52-54-00-00-00-01/boot.ipxe").body();
            assertTrue(script.contains("kernel " + base + "/netboot/boot/52-54-00-00-00-01/vmlinuz initrd=initrd.img"
                    + " jdistcc.hub=http://10.0.0.1:3640/ jdistcc.key=" + TestKeys.KEY), script);
            HttpResponse<String> k = get(http, base + "/netboot/boot/52-54-00-00-00-01/vmlinuz");
            assertEquals(5000, k.body().length());
            assertEquals("hub route\n", get(http, base + "/api/volunteers").body());
            assertTrue(get(http, base + "/netboot/status").body().contains("52:54:00:00:00:01"));
        }
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r;
    }
}
