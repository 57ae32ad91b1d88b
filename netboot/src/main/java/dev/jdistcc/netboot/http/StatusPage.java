package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.BootFile;
import dev.jdistcc.netboot.BootStats;
import dev.jdistcc.netboot.ConfigException;
import dev.jdistcc.netboot.MacAddress;
import dev.jdistcc.netboot.NetbootService;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders what netboot serves and who booted, as HTML for people and JSON for scripts and tests. */
final class StatusPage {

    private final NetbootService service;
    private final Supplier<Map<String, String>> info;

    StatusPage(NetbootService service, Supplier<Map<String, String>> info) {
        this.service = service;
        this.info = info;
    }

    String html(String base) {
        StringBuilder s = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>jdistcc netboot</title></head><body>\n<h1>jdistcc netboot</h1>\n<table>\n");
        row(s, "td", "entry script", base + "/boot.ipxe");
        info.get().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> row(s, "td", e.getKey(), e.getValue()));
        row(s, "td", "default command line", defaultCmdline());
        s.append("</table>\n<h2>Boot files</h2>\n<table>\n");
        row(s, "th", "name", "bytes", "sha256");
        files().forEach(f -> row(s, "td", f.name(), Long.toString(f.size()), f.sha256()));
        s.append("</table>\n<h2>Machines</h2>\n<table>\n");
        row(s, "th", "MAC", "address", "boots", "bytes (latest boot)", "bytes (total)", "files completed", "last seen");
        for (BootStats.Machine m : service.stats().machines()) {
            row(s, "td", m.mac().colon(), m.lastAddress(), Integer.toString(m.boots()), Long.toString(m.bootBytes()),
                    Long.toString(m.totalBytes()), Integer.toString(m.filesCompleted()), m.lastSeen().toString());
        }
        return s.append("</table>\n<p>total bytes served: ").append(service.stats().totalBytes())
                .append("</p>\n</body></html>\n").toString();
    }

    String json(String base) {
        String files = files().map(f -> "{\"name\":" + q(f.name()) + ",\"size\":" + f.size() + ",\"sha256\":"
                + q(f.sha256()) + "}").collect(Collectors.joining(","));
        String machines = service.stats().machines().stream().map(m -> "{\"mac\":" + q(m.mac().colon())
                + ",\"address\":" + q(m.lastAddress()) + ",\"boots\":" + m.boots() + ",\"bootBytes\":" + m.bootBytes()
                + ",\"totalBytes\":" + m.totalBytes() + ",\"filesCompleted\":" + m.filesCompleted()
                + ",\"lastSeen\":" + q(m.lastSeen().toString()) + "}").collect(Collectors.joining(","));
        String extra = info.get().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> q(e.getKey()) + ":" + q(e.getValue())).collect(Collectors.joining(","));
        return "{\"entryScript\":" + q(base + "/boot.ipxe") + ",\"defaultCmdline\":" + q(defaultCmdline())
                + ",\"info\":{" + extra + "},\"files\":[" + files + "],\"machines\":[" + machines
                + "],\"totalBytes\":" + service.stats().totalBytes() + "}\n";
    }

    /** The command line a machine without its own entry gets (shown for an all-zero MAC). */
    private String defaultCmdline() {
        try {
            return service.cmdline(new MacAddress(0));
        } catch (ConfigException e) {
            return "invalid: " + e.getMessage();
        }
    }

    private Stream<BootFile> files() {
        var a = service.artifacts();
        return Stream.concat(Stream.of(a.kernel()), a.initrds().stream());
    }

    private static void row(StringBuilder s, String cell, String... values) {
        s.append("<tr>");
        for (String v : List.of(values)) {
            s.append('<').append(cell).append('>').append(esc(v)).append("</").append(cell).append('>');
        }
        s.append("</tr>\n");
    }

    private static String esc(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String q(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
