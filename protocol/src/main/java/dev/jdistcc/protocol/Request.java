package dev.jdistcc.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole request, and the codec for it in two halves: the client sends the header while its local cpp is
 * still running and the input once cpp is done (reference §1.4), and the server vets the header before
 * reading the input.
 */
public record Request(RequestHeader header, SourceInput input) implements Message {

    public Request {
        boolean tree = input instanceof SourceInput.FileTree;
        if (tree != header.version().serverCpp()) {
            throw new IllegalArgumentException("protocol 3 sends a file tree; the others a preprocessed file");
        }
    }

    @Override
    public WireVersion version() {
        return header.version();
    }

    public void write(PacketWriter w) throws IOException {
        writeHeader(w, header);
        writeInput(w, header.version(), input);
    }

    public static Request read(PacketReader r) throws IOException {
        RequestHeader h = readHeader(r);
        return new Request(h, readInput(r, h.version()));
    }

    /** DIST, [TOOL TSRC], [CDIR], ARGC, ARGV… */
    public static void writeHeader(PacketWriter w, RequestHeader h) throws IOException {
        w.writeValue(Token.DIST, h.version().value() & 0xffff_ffffL);
        if (h.toolchain() != null) {
            w.writeString(Token.TOOL, h.toolchain().digest());
            w.writeString(Token.TSRC, h.toolchain().source());
        }
        if (h.cwd() != null) {
            w.writeString(Token.CDIR, h.cwd());
        }
        w.writeValue(Token.ARGC, h.argv().size());
        for (String arg : h.argv()) {
            w.writeString(Token.ARGV, arg);
        }
    }

    /** DOTI, or NFIL followed by NAME and FILE/LINK pairs. FILE bodies are always LZO (protocol 3). */
    public static void writeInput(PacketWriter w, WireVersion v, SourceInput input) throws IOException {
        switch (input) {
            case SourceInput.Preprocessed p -> w.writeBody(Token.DOTI, p.source(), v.compression());
            case SourceInput.FileTree t -> {
                w.writeValue(Token.NFIL, t.entries().size());
                for (SourceInput.FileEntry e : t.entries()) {
                    w.writeString(Token.NAME, e.name());
                    switch (e) {
                        case SourceInput.FileEntry.RegularFile f -> w.writeBody(Token.FILE, f.content(), Compression.LZO);
                        case SourceInput.FileEntry.Symlink l -> w.writeString(Token.LINK, l.target());
                    }
                }
            }
        }
        w.flush();
    }

    /**
     * Whether the preprocessed input may be streamed: sent as it lies in a file, without being read into
     * memory first. True for a DOTI that travels uncompressed (protocol 1 and its extensions without
     * compression), whose body is exactly the plaintext.
     */
    public static boolean canStreamInput(WireVersion v) {
        return !v.serverCpp() && v.compression() == Compression.NONE;
    }

    /**
     * The DOTI packet header of a streamed input ({@link #canStreamInput}); the caller then writes exactly
     * {@code length} bytes of plaintext after it, by whatever means (e.g. a zero-copy file transfer).
     */
    public static void writeStreamedInputHeader(PacketWriter w, WireVersion v, long length) throws IOException {
        if (!canStreamInput(v)) {
            throw new IllegalArgumentException("protocol " + v + " compresses its input: it cannot be streamed");
        }
        w.writeValue(Token.DOTI, length);
    }

    public static RequestHeader readHeader(PacketReader r) throws IOException {
        WireVersion v = WireVersion.parse(r.readValue(Token.DIST));
        RequestHeader.ToolchainRef tool = null;
        if (v.has(WireVersion.FEATURE_TOOLCHAIN)) {
            tool = new RequestHeader.ToolchainRef(r.readString(Token.TOOL), r.readString(Token.TSRC));
        }
        String cwd = v.serverCpp() ? r.readString(Token.CDIR) : null;
        long argc = r.readValue(Token.ARGC);
        if (argc < 1 || argc > r.limits().maxArgc()) {
            throw argc < 1 ? new ProtocolException.BadValue("ARGC must be at least 1")
                    : new ProtocolException.LimitExceeded("ARGC", argc, r.limits().maxArgc());
        }
        List<String> argv = new ArrayList<>((int) argc);
        for (long i = 0; i < argc; i++) {
            argv.add(r.readString(Token.ARGV));
        }
        return new RequestHeader(v, tool, cwd, argv);
    }

    public static SourceInput readInput(PacketReader r, WireVersion v) throws IOException {
        if (!v.serverCpp()) {
            return new SourceInput.Preprocessed(r.readBody(Token.DOTI, v.compression()));
        }
        long n = r.readValue(Token.NFIL);
        if (n > r.limits().maxFiles()) {
            throw new ProtocolException.LimitExceeded("NFIL", n, r.limits().maxFiles());
        }
        List<SourceInput.FileEntry> entries = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) {
            String name = r.readString(Token.NAME);
            Token kind = r.readOneOf(Token.FILE, Token.LINK);
            long len = r.lastValue();
            entries.add(kind == Token.FILE
                    ? new SourceInput.FileEntry.RegularFile(name, r.bodyOfLength(Token.FILE, len, Compression.LZO))
                    : new SourceInput.FileEntry.Symlink(name, r.stringOfLength(Token.LINK, len)));
        }
        return new SourceInput.FileTree(entries);
    }
}
