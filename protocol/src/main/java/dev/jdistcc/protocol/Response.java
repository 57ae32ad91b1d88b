package dev.jdistcc.protocol;

import java.io.IOException;
import java.util.Objects;

/**
 * The server's answer (reference §1.4-1.6): DONE, STAT, SERR, SOUT, DOTO and, for protocol 3 on success,
 * DOTD. A failed compile carries no output: DOTO is empty whenever STAT is non-zero.
 *
 * @param status  the compiler's raw POSIX wait status ({@code exitcode << 8}, or the signal number)
 * @param dotd    protocol 3 only: the dependency file, empty when none was made; null for other versions
 */
public record Response(WireVersion version, int status, byte[] stderr, byte[] stdout, byte[] object, byte[] dotd)
        implements Message {

    private static final byte[] EMPTY = new byte[0];

    public Response {
        Objects.requireNonNull(version, "version");
        stderr = stderr == null ? EMPTY : stderr;
        stdout = stdout == null ? EMPTY : stdout;
        object = object == null || status != 0 ? EMPTY : object;
        dotd = version.serverCpp() ? (dotd == null ? EMPTY : dotd) : null;
    }

    /** Exit code of a normal exit, or -1 when the compiler died of a signal. */
    public int exitCode() {
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;
    }

    /** The signal that killed the compiler, or 0. */
    public int signal() {
        return status & 0x7f;
    }

    public static int waitStatusForExit(int code) {
        return (code & 0xff) << 8;
    }

    public void write(PacketWriter w) throws IOException {
        Compression c = version.compression();
        w.writeValue(Token.DONE, version.value() & 0xffff_ffffL);
        w.writeValue(Token.STAT, status & 0xffff_ffffL);
        w.writeBody(Token.SERR, stderr, c);
        w.writeBody(Token.SOUT, stdout, c);
        w.writeBody(Token.DOTO, object, c);
        if (version.serverCpp() && status == 0) {
            w.writeBody(Token.DOTD, dotd, c);
        }
        w.flush();
    }

    /** Reads a response, which must echo the version that was sent (reference §1.3). */
    public static Response read(PacketReader r, WireVersion sent) throws IOException {
        long done = r.readValue(Token.DONE);
        if (done != (sent.value() & 0xffff_ffffL)) {
            throw new ProtocolException.UnsupportedVersion("got version 0x" + Long.toHexString(done) + " not " + sent);
        }
        Compression c = sent.compression();
        int status = (int) r.readValue(Token.STAT);
        byte[] err = r.readBody(Token.SERR, c);
        byte[] out = r.readBody(Token.SOUT, c);
        long objLen = r.readValue(Token.DOTO);
        if (status != 0 && objLen != 0) {
            // distcc: "remote compiler failed but also returned output: I don't know what to do".
            throw new ProtocolException.BadValue("remote compiler failed but also returned " + objLen + " bytes of output");
        }
        byte[] obj = r.bodyOfLength(Token.DOTO, objLen, c);
        byte[] dotd = sent.serverCpp() && status == 0 ? r.readBody(Token.DOTD, c) : null;
        return new Response(sent, status, err, out, obj, dotd);
    }
}
