package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A real hub in-process on loopback, and volunteer distccds that can reach no compiler of this host. */
final class HubSupport {
    /** distcc's $libdir without a distcc/ masquerade directory, and a PATH without compilers. */
    static final List<String> NO_MASQUERADE = List.of("-Djdistcc.libdir=/nonexistent-jdistcc-libdir");
    static final Map<String, String> NO_COMPILERS = Map.of("DISTCCD_PATH", "/nonexistent-jdistcc-path");

    private HubSupport() {
    }

    static void requireSandboxAndCompilers() {
        Tools.requireCompilers();
        Tools.requireDistcc();
        Tools.require(Path.of("/usr/bin/bwrap"), "bubblewrap");
        Tools.require(Path.of("/usr/bin/prlimit"), "util-linux");
        Tools.require(Path.of("/usr/bin/setpriv"), "util-linux");
    }

    /** Starts packaging at once; waits (probing the store, bounded) until {@code n} toolchains are published. */
    static Hub startHub(Hub.Config config) throws Exception {
        Hub hub = Hub.start(config, e -> { });
        for (int i = 0; i < 3000; i++) {
            if (hub.store().manifest().map(m -> m.manifest().toolchains().size()).orElse(0) >= compilerCount(config)) {
                return hub;
            }
            Thread.sleep(100);
        }
        hub.close();
        throw new AssertionError("the hub did not publish its toolchains within 5 minutes");
    }

    private static int compilerCount(Hub.Config c) {
        return c.compilers().get().size();
    }

    static ToolchainDigest digestFor(Hub hub, String compiler) {
        return hub.store().manifest().orElseThrow().manifest().toolchains().stream()
                .filter(t -> t.driverFor(compiler) != null).map(ToolchainInfo::digest).findFirst().orElseThrow();
    }

    /** distccd --hub arguments; the cache is made reachable for the compiler user (tests run as root too). */
    static List<String> volunteerArgs(URI hub, String key, Path cache, String... extra) throws IOException {
        Tools.openDir(cache.getParent());
        List<String> a = new ArrayList<>(List.of("--allow", "127.0.0.1", "--hub", hub.toString(), "--trust", key,
                "--toolchain-cache", cache.toString(), "--toolchain-cache-budget", "4G"));
        a.addAll(List.of(extra));
        return a;
    }

    static OurDistccd startVolunteer(Path dir, List<String> args) throws IOException, InterruptedException {
        return OurDistccd.start(Files.createDirectories(dir), NO_COMPILERS, NO_MASQUERADE, args.toArray(String[]::new));
    }

    static String statsPage(int statsPort) throws IOException {
        try (Socket s = new Socket("127.0.0.1", statsPort)) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String volunteerList(Hub hub) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(hub.url().resolve("v1/volunteers"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Polls the hub's volunteer list until {@code test} holds (bounded; no timing assertion). */
    static String awaitVolunteerList(Hub hub, Predicate<String> test) throws IOException, InterruptedException {
        String last = "";
        for (int i = 0; i < 1200; i++) {
            last = volunteerList(hub);
            if (test.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail("the hub's volunteer list never matched: " + last);
        return last;
    }

    /** Polls the log (bounded) until it contains {@code text}. */
    static String awaitLog(OurDistccd d, String text) throws IOException, InterruptedException {
        for (int i = 0; i < 3000; i++) {
            String l = d.logText();
            if (l.contains(text)) {
                return l;
            }
            if (!d.process.isAlive()) {
                fail("distccd died; log:\n" + l);
            }
            Thread.sleep(100);
        }
        fail("no \"" + text + "\" in the log within 5 minutes:\n" + d.logText());
        return null;
    }
}
