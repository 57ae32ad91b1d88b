package dev.jdistcc.fetcher;

import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.json.Json;
import dev.jdistcc.toolchain.json.JsonException;
import dev.jdistcc.toolchain.json.StrictObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a volunteer registered with the hub: {@code PUT /v1/volunteers/{id}} at the interval the hub answers
 * (registration and heartbeat are the same call), {@code DELETE} on close. The status supplier is read at each
 * beat, so jobs and ready toolchains stay current.
 */
public final class VolunteerAnnouncer implements AutoCloseable {
    /** @param address where distccd listens; null lets the hub use the address the heartbeat came from */
    public record Status(String address, int port, int cpus, int jobs, String arch, List<ToolchainDigest> toolchains) {
    }

    private final URI url;
    private final Supplier<Status> status;
    private final Consumer<FetchException> failures;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Thread loop;
    private volatile boolean closed;

    public VolunteerAnnouncer(URI hub, String id, Supplier<Status> status, Consumer<FetchException> failures) {
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("volunteer id: 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        String base = hub.toString().endsWith("/") ? hub.toString() : hub + "/";
        this.url = URI.create(base + "v1/volunteers/" + id);
        this.status = status;
        this.failures = failures;
    }

    /** Sends one registration/heartbeat; returns the interval the hub asks for. */
    public Duration beat() throws FetchException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString(body(status.get()))).build());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new FetchException.HubUnreachable("hub refused the heartbeat (HTTP " + r.statusCode() + "): " + r.body().strip(), null);
        }
        try {
            StrictObject o = StrictObject.parse("heartbeat answer", r.body());
            long seconds = o.integer("heartbeatSeconds");
            return Duration.ofSeconds(Math.max(1, seconds));
        } catch (JsonException e) {
            throw new FetchException.HubUnreachable("unexpected heartbeat answer: " + e.getMessage(), null);
        }
    }

    /** Beats in the background until {@link #close()}; failures are reported and retried at the next beat. */
    public VolunteerAnnouncer start() {
        loop = Thread.ofPlatform().daemon().name("volunteer-heartbeat").start(() -> {
            Duration next = Duration.ofSeconds(10);
            while (!closed) {
                try {
                    next = beat();
                } catch (FetchException e) {
                    failures.accept(e);
                }
                try {
                    Thread.sleep(next);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    /** Stops beating and tells the hub the volunteer is leaving (best effort). */
    @Override
    public void close() {
        closed = true;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
        try {
            send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).DELETE().build());
        } catch (FetchException e) {
            failures.accept(e);
        }
    }

    static String body(Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "jdistcc.volunteer");
        m.put("version", 1L);
        if (s.address() != null) {
            m.put("address", s.address());
        }
        m.put("port", (long) s.port());
        m.put("cpus", (long) s.cpus());
        m.put("jobs", (long) s.jobs());
        m.put("arch", s.arch());
        List<Object> t = new ArrayList<>();
        s.toolchains().forEach(d -> t.add(d.hex()));
        m.put("toolchains", t);
        return Json.write(m, false);
    }

    private HttpResponse<String> send(HttpRequest req) throws FetchException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw FetchException.HubUnreachable.of("the hub at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException.HubUnreachable("interrupted talking to " + url, e);
        }
    }
}
