package dev.jdistcc.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test-side view of a stream as raw packets, independent of the codec's message classes. */
record Packets(List<Packet> list) {

    record Packet(Token token, long value, byte[] body) {
        @Override
        public String toString() {
            return token + String.format("%08x", value) + (body == null ? "" : "+" + body.length + "B");
        }
    }

    /** Splits a complete, well-formed stream; fails loudly on anything else. */
    static Packets split(byte[] s) {
        List<Packet> out = new ArrayList<>();
        int p = 0;
        while (p < s.length) {
            Token t = Token.fromAscii(s, p);
            if (t == null) {
                throw new AssertionError("no token at offset " + p);
            }
            long v = Long.parseLong(new String(s, p + 4, 8, StandardCharsets.US_ASCII), 16);
            p += 12;
            byte[] body = null;
            if (t.hasBody()) {
                body = Arrays.copyOfRange(s, p, p + (int) v);
                p += (int) v;
            }
            out.add(new Packet(t, v, body));
        }
        return new Packets(out);
    }

    List<Token> tokens() {
        return list.stream().map(Packet::token).toList();
    }

    byte[] join() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Packet p : list) {
            b.writeBytes(p.token().ascii());
            b.writeBytes(String.format("%08x", p.value()).getBytes(StandardCharsets.US_ASCII));
            if (p.body() != null) {
                b.writeBytes(p.body());
            }
        }
        return b.toByteArray();
    }
}
