package dev.jdistcc.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes packets: a 4-byte token, 8 lower-case hex digits (as distcc's dcc_x_token_int), an optional body. */
public final class PacketWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final OutputStream out;
    private final byte[] header = new byte[12];

    public PacketWriter(OutputStream out) {
        this.out = out;
    }

    /** A packet whose value is a number (DIST, ARGC, NFIL, DONE, STAT). */
    public void writeValue(Token token, long value) throws IOException {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(token + " value " + value + " does not fit in 32 bits");
        }
        System.arraycopy(token.ascii(), 0, header, 0, 4);
        for (int i = 0; i < 8; i++) {
            header[4 + i] = HEX[(int) (value >>> (28 - 4 * i)) & 0xf];
        }
        out.write(header);
    }

    /** A string packet (ARGV, CDIR, NAME, LINK, TOOL, TSRC): raw UTF-8, no terminating NUL. */
    public void writeString(Token token, String s) throws IOException {
        writeRaw(token, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A packet with its body exactly as given. */
    public void writeRaw(Token token, byte[] body) throws IOException {
        writeValue(token, body.length);
        out.write(body);
    }

    /** A bulk body, compressed unless empty (the zero-length rule, reference §1.5). */
    public void writeBody(Token token, byte[] plain, Compression compression) throws IOException {
        writeRaw(token, plain.length == 0 ? plain : compression.compress(plain));
    }

    public void flush() throws IOException {
        out.flush();
    }
}
