package dev.jdistcc.hub.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by the handlers. */
final class Responses {
    private Responses() {
    }

    static void text(HttpServerExchange ex, int status, String contentType, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        ex.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    static void error(HttpServerExchange ex, int status, String message) {
        text(ex, status, "text/plain; charset=utf-8", message + "\n");
    }
}
