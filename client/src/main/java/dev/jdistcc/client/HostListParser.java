package dev.jdistcc.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Parses distcc host lists (reference §2.8, hosts.c) strictly: where distcc 3.4 silently ignores trailing
 * junk ({@code host,lzoX}, {@code --randomizeX}), this parser rejects the list, and the compile falls back.
 */
public final class HostListParser {
    static final int DEFAULT_PORT = 3632;
    static final int DEFAULT_REMOTE_SLOTS = 4;
    static final int DEFAULT_LOCALHOST_SLOTS = 2;

    private HostListParser() {
    }

    /**
     * @param text   the list (environment value or file content)
     * @param source "$DISTCC_HOSTS" or the file name, for messages
     * @param seed   seed for {@code --randomize} (distcc uses its pid, so the order is stable per process)
     */
    public static HostList parse(String text, String source, long seed) throws HostListException {
        List<HostSpec> hosts = new ArrayList<>();
        int localSlots = HostList.DEFAULT_LOCAL_SLOTS;
        int localSlotsCpp = HostList.DEFAULT_LOCAL_SLOTS_CPP;
        boolean randomize = false;
        for (String token : tokens(text)) {
            if (token.equals("--randomize")) {
                randomize = true;
            } else if (token.startsWith("--localslots_cpp")) {
                localSlotsCpp = setting(token, "--localslots_cpp".length());
            } else if (token.startsWith("--localslots")) {
                localSlots = setting(token, "--localslots".length());
            } else if (token.equals("+zeroconf")) {
                throw new HostListException("+zeroconf is not supported by this distcc");
            } else {
                hosts.add(host(token));
            }
        }
        if (hosts.isEmpty()) {
            throw new HostListException(source + " contained no hosts; can't distribute work", true);
        }
        if (randomize) {
            Collections.shuffle(hosts, new Random(seed));
        }
        return new HostList(hosts, localSlots, localSlotsCpp, source);
    }

    /** Whitespace-separated tokens; '#' ends a token and starts a comment up to the end of the line. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                }
            } else if (isSpace(c)) {
                i++;
            } else {
                int start = i;
                while (i < n && !isSpace(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static int setting(String token, int at) throws HostListException {
        if (at >= token.length() || (token.charAt(at) != '=' && token.charAt(at) != '/')) {
            throw new HostListException("bad setting \"" + token + "\" in host list: expected =N");
        }
        Cursor c = new Cursor(token, at);
        int n = c.multiplier();
        c.expectEnd();
        return n;
    }

    static HostSpec host(String token) throws HostListException {
        if (token.equals("localhost") || token.startsWith("localhost/")) {
            Cursor c = new Cursor(token, "localhost".length());
            int slots = c.peek() == '/' ? c.multiplier() : DEFAULT_LOCALHOST_SLOTS;
            c.expectEnd();
            return new HostSpec.Local(token, slots);
        }
        return token.indexOf('@') >= 0 ? ssh(token) : tcp(token);
    }

    private static HostSpec ssh(String token) throws HostListException {
        int at = token.indexOf('@');
        String user = token.substring(0, at);
        Cursor c = new Cursor(token, at + 1);
        String host = c.until("/:,");
        if (host.isEmpty()) {
            throw new HostListException("hostname is required in SSH host specification \"" + token + "\"");
        }
        int slots = c.peek() == '/' ? c.multiplier() : DEFAULT_REMOTE_SLOTS;
        String command = null;
        if (c.peek() == ':') {
            c.next();
            command = c.until(",");
            if (command.isEmpty()) {
                throw new HostListException("empty command in SSH host specification \"" + token + "\"");
            }
        }
        HostSpec.HostOptions opts = c.options();
        return new HostSpec.Ssh(token, user.isEmpty() ? null : user, host, command, slots, opts);
    }

    private static HostSpec tcp(String token) throws HostListException {
        Cursor c = new Cursor(token, 0);
        String host;
        if (c.peek() == '[') {
            c.next();
            host = c.until("]/,");
            if (c.peek() != ']') {
                throw new HostListException("IPv6 Hostname requires closing ']' in \"" + token + "\"");
            }
            c.next();
        } else {
            host = c.until("/:,");
        }
        if (host.isEmpty()) {
            throw new HostListException("hostname is required in tcp host specification \"" + token + "\"");
        }
        int slots = DEFAULT_REMOTE_SLOTS;
        boolean slotsSeen = false;
        if (c.peek() == '/') {
            slots = c.multiplier();
            slotsSeen = true;
        }
        int port = DEFAULT_PORT;
        if (c.peek() == ':') {
            c.next();
            port = c.port();
        }
        if (c.peek() == '/' && !slotsSeen) {
            slots = c.multiplier();
        }
        return new HostSpec.Tcp(token, host, port, slots, c.options());
    }

    /** A read position in one token. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s, int i) {
            this.s = s;
            this.i = i;
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void next() {
            i++;
        }

        String until(String stops) {
            int start = i;
            while (i < s.length() && stops.indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        String digits() {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            return s.substring(start, i);
        }

        /** '/N' or '=N' with N a positive number. */
        int multiplier() throws HostListException {
            i++;
            String d = digits();
            int n = d.isEmpty() || d.length() > 6 ? 0 : Integer.parseInt(d);
            if (n <= 0) {
                throw new HostListException("bad multiplier \"" + s + "\" in host specification");
            }
            return n;
        }

        int port() throws HostListException {
            String d = digits();
            int p = d.isEmpty() || d.length() > 5 ? 0 : Integer.parseInt(d);
            if (p < 1 || p > 65535) {
                throw new HostListException("invalid tcp port specification in \"" + s + "\"");
            }
            return p;
        }

        HostSpec.HostOptions options() throws HostListException {
            boolean lzo = false, cpp = false, lz4 = false, down = false;
            while (peek() == ',') {
                next();
                String opt = until(",");
                switch (opt) {
                    case "lzo" -> lzo = true;
                    case "cpp" -> cpp = true;
                    case "lz4" -> lz4 = true;
                    case "down" -> down = true;
                    default -> throw new HostListException(opt.startsWith("auth")
                            ? "GSS-API authentication (,auth) is not supported: " + s
                            : "unrecognized option in host specification: " + s.substring(s.indexOf(',')));
                }
            }
            expectEnd();
            if (cpp && !lzo) {
                throw new HostListException("pump mode (',cpp') requires compression (',lzo')");
            }
            if (lz4 && lzo) {
                throw new HostListException("choose one compression, ',lzo' or ',lz4': " + s);
            }
            return new HostSpec.HostOptions(lzo, cpp, lz4, down, false);
        }

        void expectEnd() throws HostListException {
            if (i < s.length()) {
                throw new HostListException("unexpected \"" + s.substring(i) + "\" in host specification \"" + s + "\"");
            }
        }
    }
}
