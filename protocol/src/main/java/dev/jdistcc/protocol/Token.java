package dev.jdistcc.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The four-letter tokens of the distcc wire protocol (reference §1.2), plus the jdistcc extension tokens.
 * Each packet is the token, eight hex digits, and, for tokens that carry one, a body of that many bytes.
 */
public enum Token {
    DIST(false), CDIR(true), ARGC(false), ARGV(true), DOTI(true),
    NFIL(false), NAME(true), FILE(true), LINK(true),
    DONE(false), STAT(false), SERR(true), SOUT(true), DOTO(true), DOTD(true),
    /** jdistcc extension: content digest of the toolchain the job must be compiled with. */
    TOOL(true),
    /** jdistcc extension: where the volunteer may fetch that toolchain (may be empty). */
    TSRC(true);

    private final boolean hasBody;
    private final byte[] ascii;

    Token(boolean hasBody) {
        this.hasBody = hasBody;
        this.ascii = name().getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the header value is a body length (true) or a plain number (false). */
    public boolean hasBody() {
        return hasBody;
    }

    byte[] ascii() {
        return ascii;
    }

    /** The token spelled by these four bytes, or null when it is none of ours. */
    static Token fromAscii(byte[] b, int off) {
        for (Token t : values()) {
            byte[] a = t.ascii;
            if (a[0] == b[off] && a[1] == b[off + 1] && a[2] == b[off + 2] && a[3] == b[off + 3]) {
                return t;
            }
        }
        return null;
    }
}
