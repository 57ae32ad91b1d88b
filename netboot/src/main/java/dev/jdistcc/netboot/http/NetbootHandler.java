package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Netboot over HTTP as one Undertow handler, mountable anywhere (the hub mounts it under a prefix with
 * {@code PathHandler.addPrefixPath}; standalone it is the root). Paths, relative to the mount point:
 * <pre>
 *   boot.ipxe                 entry script: chains to the machine's own script by its MAC
 *   boot/&lt;mac&gt;/boot.ipxe      per-machine script (kernel line with hub URL and key)
 *   boot/&lt;mac&gt;/&lt;file&gt;         kernel or initrd, bytes counted for that machine
 *   files/&lt;file&gt;              kernel or initrd, not attributed to a machine
 *   status, status.json       what is served and who booted
 * </pre>
 * Script URLs are absolute, built from the request's Host header and the mount point, so the same
 * handler works behind QEMU's guestfwd, on a LAN address and under a hub prefix.
 */
public final class NetbootHandler implements HttpHandler {

    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

    private final NetbootService service;
    private final StatusPage status;

    private NetbootHandler(NetbootService service, Supplier<Map<String, String>> statusInfo) {
        this.service = service;
        this.status = new StatusPage(service, statusInfo);
    }

    public static NetbootHandler create(NetbootService service) {
        return new NetbootHandler(service, Map::of);
    }

    /** With extra key/value lines for the status page (DHCP mode, interface, ...), read per request. */
    public static NetbootHandler create(NetbootService service, Supplier<Map<String, String>> statusInfo) {
        return new NetbootHandler(service, statusInfo);
    }

    /**
     * Mounts this handler on a {@link RoutingHandler} (the hub's router) under {@code prefix}, e.g.
     * {@code /netboot}: GET and HEAD for the prefix and everything below it.
     */
    public RoutingHandler addTo(RoutingHandler routes, String prefix) {
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start with '/' and not end with it: " + prefix);
        }
        HttpHandler mounted = new PathHandler().addPrefixPath(prefix, this);
        for (String method : List.of("GET", "HEAD")) {
            routes.add(method, prefix, mounted);
            routes.add(method, prefix + "/*", mounted);
        }
        return routes;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        if (!ex.getRequestMethod().equals(Methods.GET) && !ex.getRequestMethod().equals(Methods.HEAD)) {
            ex.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            text(ex, StatusCodes.METHOD_NOT_ALLOWED, "text/plain", "only GET and HEAD\n");
            return;
        }
        String path = ex.getRelativePath();
        String rel = path.startsWith("/") ? path.substring(1) : path;
        String[] parts = rel.split("/", -1);
        switch (parts.length) {
            case 1 -> top(ex, parts[0]);
            case 2 -> files(ex, parts[0], parts[1]);
            case 3 -> machine(ex, parts[0], parts[1], parts[2]);
            default -> notFound(ex);
        }
    }

    private void top(HttpServerExchange ex, String name) {
        switch (name) {
            case "boot.ipxe" -> text(ex, 200, "text/plain", service.entryScript(baseUrl(ex)));
            case "", "status" -> text(ex, 200, "text/html", status.html(baseUrl(ex)));
            case "status.json" -> text(ex, 200, "application/json", status.json(baseUrl(ex)));
            default -> notFound(ex);
        }
    }

    private void files(HttpServerExchange ex, String dir, String name) {
        Optional<BootFile> file = service.file(name);
        if (!dir.equals("files") || file.isEmpty()) {
            notFound(ex);
            return;
        }
        FileSender.send(ex, service, file.get(), null);
    }

    private void machine(HttpServerExchange ex, String dir, String macText, String name) {
        MacAddress mac;
        try {
            mac = MacAddress.parse(macText);
        } catch (ConfigException e) {
            notFound(ex);
            return;
        }
        if (!dir.equals("boot")) {
            notFound(ex);
        } else if (name.equals("boot.ipxe")) {
            bootScript(ex, mac);
        } else {
            service.file(name).ifPresentOrElse(f -> FileSender.send(ex, service, f, mac), () -> notFound(ex));
        }
    }

    private void bootScript(HttpServerExchange ex, MacAddress mac) {
        String base = baseUrl(ex);
        try {
            text(ex, 200, "text/plain", service.bootScript(base, mac, remote(ex)));
        } catch (ConfigException e) {
            // Shown on the booting machine's screen: the operator sees why it does not come up.
            text(ex, 200, "text/plain", "#!ipxe\necho jdistcc: no boot configuration for " + mac + ": "
                    + e.getMessage().replace('$', '?') + "\nsleep 60\nreboot\n");
        }
    }

    /** {@code scheme://host[:port]/mount} without a trailing slash. */
    static String baseUrl(HttpServerExchange ex) {
        String host = ex.getHostAndPort();
        if (!SAFE_HOST.matcher(host).matches()) {
            InetSocketAddress local = ex.getConnection().getLocalAddress(InetSocketAddress.class);
            host = local.getAddress().getHostAddress() + ":" + local.getPort();
        }
        String full = ex.getRequestPath();
        String mount = full.substring(0, full.length() - ex.getRelativePath().length());
        if (mount.endsWith("/")) {
            mount = mount.substring(0, mount.length() - 1);
        }
        return ex.getRequestScheme() + "://" + host + mount;
    }

    private static String remote(HttpServerExchange ex) {
        InetSocketAddress peer = ex.getConnection().getPeerAddress(InetSocketAddress.class);
        return peer == null ? "?" : peer.getAddress().getHostAddress();
    }

    private static void notFound(HttpServerExchange ex) {
        text(ex, StatusCodes.NOT_FOUND, "text/plain", "not found: " + ex.getRelativePath() + "\n");
    }

    private static void text(HttpServerExchange ex, int status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type + "; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
        if (ex.getRequestMethod().equals(Methods.HEAD)) {
            ex.endExchange();
        } else {
            ex.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
        }
    }
}
