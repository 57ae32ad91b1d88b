package dev.jdistcc.image.vm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read of the appliance's --stats page (forwarded to a loopback port): distccd's {@code key value} lines and
 * the volunteer block's, memory figures included ({@code mem_total_kb}, {@code mem_available_kb},
 * {@code server_rss_kb}; {@code dcc_max_RSS} is the largest process's resident set, {@code dcc_max_RSS_name} its name).
 */
record ApplianceStatus(Map<String, String> values) {

    static ApplianceStatus read(int statsHostPort) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), statsHostPort), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String page = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : page.split("\n")) {
                int sp = line.indexOf(' ');
                if (sp > 0 && !line.startsWith("<") && !line.startsWith("HTTP/")) {
                    v.putIfAbsent(line.substring(0, sp), line.substring(sp + 1));
                }
            }
            return new ApplianceStatus(v);
        }
    }

    long number(String key) {
        String s = values.get(key);
        if (s == null) {
            throw new IllegalStateException("no " + key + " on the stats page: " + values);
        }
        return Long.parseLong(s.split(" ")[0]);
    }

    static String mib(long kb) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", kb / 1024.0);
    }
}
