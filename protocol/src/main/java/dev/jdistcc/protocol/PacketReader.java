package dev.jdistcc.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads packets from a stream, checking every header against the token expected next and every length
 * against {@link Limits} before allocating. Never reads past the packet it was asked for. Use one reader per
 * connection: {@link Limits#maxMessageBytes()} counts everything this reader has returned.
 */
public final class PacketReader {
    private final InputStream in;
    private final Limits limits;
    private final byte[] header = new byte[12];
    /** Bytes of strings and plaintext bodies returned so far, against {@link Limits#maxMessageBytes()}. */
    private long returned;

    public PacketReader(InputStream in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** A header carrying the expected token; returns its value. */
    public long readValue(Token expected) throws IOException {
        Token got = readHeader(expected.name());
        if (got != expected) {
            throw new ProtocolException.UnexpectedToken(expected.name(), printable(header));
        }
        return parseHex(header);
    }

    /** A header carrying one of the given tokens (protocol 3's FILE-or-LINK, reference §1.1). */
    public Token readOneOf(Token a, Token b) throws IOException {
        Token got = readHeader(a + " or " + b);
        if (got != a && got != b) {
            throw new ProtocolException.UnexpectedToken(a + " or " + b, printable(header));
        }
        return got;
    }

    /** The value of the header just read by {@link #readOneOf}. */
    public long lastValue() throws ProtocolException {
        return parseHex(header);
    }

    /** A string packet, bounded by {@link Limits#maxStringBytes()}. */
    public String readString(Token expected) throws IOException {
        long len = readValue(expected);
        return new String(readExactly(expected.name(), len, limits.maxStringBytes()), StandardCharsets.UTF_8);
    }

    /** A bulk body: read and decompressed, empty when the length is zero. */
    public byte[] readBody(Token expected, Compression compression) throws IOException {
        long len = readValue(expected);
        return bodyOfLength(expected, len, compression);
    }

    /** The body of a header already read, given its length. */
    public byte[] bodyOfLength(Token token, long len, Compression compression) throws IOException {
        byte[] raw = readExactly(token.name(), len, limits.maxBodyBytes());
        if (raw.length == 0 || compression == Compression.NONE) {
            return raw;
        }
        // The plaintext replaces the raw body in the budget, and may use no more than what is left of it.
        long left = limits.maxMessageBytes() - (returned - raw.length);
        byte[] plain = compression.decompress(raw, limits.withMaxDecompressed(Math.min(left, limits.maxDecompressed())));
        returned += plain.length - raw.length;
        return plain;
    }

    /** The string body of a header already read. */
    public String stringOfLength(Token token, long len) throws IOException {
        return new String(readExactly(token.name(), len, limits.maxStringBytes()), StandardCharsets.UTF_8);
    }

    private Token readHeader(String expected) throws IOException {
        int n = in.readNBytes(header, 0, 12);
        if (n < 12) {
            throw new ProtocolException.Truncated(expected + " header", 12, n);
        }
        return Token.fromAscii(header, 0);
    }

    private byte[] readExactly(String what, long len, long limit) throws IOException {
        if (len > limit) {
            throw new ProtocolException.LimitExceeded(what + " length", len, limit);
        }
        if (returned + len > limits.maxMessageBytes()) {
            throw new ProtocolException.LimitExceeded(what + " brings the message to " + (returned + len)
                    + " bytes, beyond the limit of " + limits.maxMessageBytes());
        }
        returned += len;
        // readNBytes grows its buffer as data arrives, so a lying header cannot make us allocate up front.
        byte[] body = in.readNBytes((int) len);
        if (body.length < len) {
            throw new ProtocolException.Truncated(what + " body", len, body.length);
        }
        return body;
    }

    /** Eight hex digits, either case, as strtoul(…,16) accepts them in distcc (but no sign or space). */
    static long parseHex(byte[] h) throws ProtocolException {
        long v = 0;
        for (int i = 4; i < 12; i++) {
            int d = Character.digit(h[i], 16);
            if (d < 0) {
                throw new ProtocolException.BadValue("bad hex value in header " + printable(h));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static String printable(byte[] h) {
        StringBuilder sb = new StringBuilder("'");
        for (byte b : Arrays.copyOf(h, 12)) {
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return sb.append('\'').toString();
    }
}
