package dev.jdistcc.hub.http;

import dev.jdistcc.hub.volunteers.Volunteer;
import dev.jdistcc.hub.volunteers.VolunteerCodec;
import dev.jdistcc.hub.volunteers.VolunteerRegistry;
import dev.jdistcc.toolchain.json.Json;
import dev.jdistcc.toolchain.json.JsonException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registration API volunteers (the appliance) call, and the live list clients read.
 *
 * <pre>
 * PUT    /v1/volunteers/{id}   register or heartbeat (same body); 201 when new, 200 after; answers the intervals
 * DELETE /v1/volunteers/{id}   leave now (204; 404 when unknown)
 * GET    /v1/volunteers        live list as JSON
 * GET    /v1/volunteers.txt    live list in distcc host grammar (HOST:PORT/JOBS,lzo per line)
 * </pre>
 */
public final class VolunteerHandlers {
    private static final int MAX_BODY = 64 * 1024;
    private final VolunteerRegistry registry;
    private final java.util.function.Consumer<dev.jdistcc.hub.store.HubEvent> events;

    public VolunteerHandlers(VolunteerRegistry registry, java.util.function.Consumer<dev.jdistcc.hub.store.HubEvent> events) {
        this.registry = registry;
        this.events = events;
    }

    public RoutingHandler routes(RoutingHandler r) {
        r.put("/v1/volunteers/{id}", this::register);
        r.delete("/v1/volunteers/{id}", this::leave);
        r.get("/v1/volunteers", ex -> Responses.text(ex, 200, "application/json", VolunteerCodec.writeList(registry.live())));
        r.get("/v1/volunteers.txt", ex -> Responses.text(ex, 200, "text/plain; charset=utf-8",
                VolunteerCodec.writeHosts(registry.live())));
        return r;
    }

    private void register(HttpServerExchange ex) throws IOException {
        ex.startBlocking();
        byte[] body = ex.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            Responses.error(ex, 413, "registration body larger than " + MAX_BODY + " bytes");
            return;
        }
        String id = ex.getQueryParameters().get("id").getFirst();
        InetSocketAddress peer = ex.getSourceAddress();
        String peerAddress = peer == null ? "127.0.0.1" : peer.getAddress().getHostAddress();
        Volunteer v;
        try {
            v = VolunteerCodec.read(id, new String(body, StandardCharsets.UTF_8), peerAddress);
        } catch (JsonException e) {
            Responses.error(ex, 400, e.getMessage());
            return;
        }
        boolean isNew = registry.heartbeat(v);
        if (isNew) {
            events.accept(new dev.jdistcc.hub.store.HubEvent.VolunteerJoined(v.id(), v.address(), v.port()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("heartbeatSeconds", registry.heartbeatInterval().toSeconds());
        answer.put("expireSeconds", registry.expiry().toSeconds());
        Responses.text(ex, isNew ? 201 : 200, "application/json", Json.write(answer, false));
    }

    private void leave(HttpServerExchange ex) {
        String id = ex.getQueryParameters().get("id").getFirst();
        if (registry.remove(id)) {
            ex.setStatusCode(204);
            ex.endExchange();
        } else {
            Responses.error(ex, 404, "no volunteer " + id);
        }
    }
}
