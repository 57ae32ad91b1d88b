package dev.jdistcc.client;

import dev.jdistcc.protocol.Limits;
import dev.jdistcc.protocol.PacketReader;
import dev.jdistcc.protocol.PacketWriter;
import dev.jdistcc.protocol.ProtocolException;
import dev.jdistcc.protocol.Request;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.SourceInput;
import dev.jdistcc.protocol.WireVersion;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * One request/response exchange over an open connection (reference §1.4), in distcc's order: the header
 * (DIST, ARGC, ARGV) goes out first, then the input once the preprocessor is done, then the reply is read.
 */
final class RemoteCompile {

    /** Supplies the preprocessed input, blocking until cpp has finished. */
    interface Input {
        byte[] get() throws Preprocessor.Failed, IOException, InterruptedException;

        /** The same bytes as a file, blocking until cpp has finished; null when they are not in one. */
        default Path file() throws Preprocessor.Failed, IOException, InterruptedException {
            return null;
        }
    }

    /** How long the server may take to start answering once it has the whole input (a stall bound). */
    interface ReplyTimeout {
        Duration forInput(long inputBytes);
    }

    private RemoteCompile() {
    }

    static Response run(Transport.Connection conn, WireVersion version, List<String> argv, Input input,
                        StateFile state) throws RemoteFailure, Preprocessor.Failed, InterruptedException {
        return run(conn, version, null, argv, input, state, null);
    }

    /**
     * @param toolchain    the toolchain to name (TOOL/TSRC), or null; only with a version that has
     *                     {@link WireVersion#FEATURE_TOOLCHAIN}
     * @param replyTimeout null keeps DISTCC_IO_TIMEOUT for the reply
     */
    static Response run(Transport.Connection conn, WireVersion version, RequestHeader.ToolchainRef toolchain,
                        List<String> argv, Input input, StateFile state, ReplyTimeout replyTimeout)
            throws RemoteFailure, Preprocessor.Failed, InterruptedException {
        Duration stall = null;
        try {
            PacketWriter w = new PacketWriter(conn.out());
            state.phase(StateFile.Phase.SEND);
            Request.writeHeader(w, new RequestHeader(version, toolchain, null, argv));
            w.flush();
            state.phase(StateFile.Phase.CPP);
            long sent = sendInput(conn, w, version, input, state);
            if (replyTimeout != null) {
                stall = replyTimeout.forInput(sent);
                conn.replyTimeout(stall);
            }
            state.phase(StateFile.Phase.COMPILE);
            PushbackInputStream in = new PushbackInputStream(conn.in(), 1);
            int first = in.read();
            if (first < 0) {
                throw new RemoteFailure.NoAnswer(noAnswer(argv.getFirst(), conn));
            }
            in.unread(first);
            state.phase(StateFile.Phase.RECEIVE);
            return Response.read(new PacketReader(in, Limits.DEFAULT), version);
        } catch (ProtocolException e) {
            throw new RemoteFailure.Protocol(withDiagnostics(e.getMessage(), conn), e);
        } catch (SocketTimeoutException e) {
            throw new RemoteFailure.Io(stall == null ? "no reply within DISTCC_IO_TIMEOUT"
                    : "stalled: no reply within " + stall.toMillis() / 1000.0 + " s (the stall bound for this host)",
                    true, e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Connection reset") ) {
                throw new RemoteFailure.NoAnswer(noAnswer(argv.getFirst(), conn));
            }
            throw new RemoteFailure.Io(withDiagnostics("I/O error: " + e.getMessage(), conn), false, e);
        }
    }

    /**
     * Sends the preprocessed input; returns its plaintext size. An uncompressed input in a file goes out as it
     * lies (sendfile(2) on TCP), the way distcc sends it: a large .i costs this process no copying.
     */
    private static long sendInput(Transport.Connection conn, PacketWriter w, WireVersion version, Input input,
                                  StateFile state) throws IOException, Preprocessor.Failed, InterruptedException {
        Path file = Request.canStreamInput(version) ? input.file() : null;
        if (file == null) {
            byte[] source = input.get();
            state.phase(StateFile.Phase.SEND);
            Request.writeInput(w, version, new SourceInput.Preprocessed(source));
            return source.length;
        }
        state.phase(StateFile.Phase.SEND);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Request.writeStreamedInputHeader(w, version, size);
            w.flush();
            if (size > 0 && !conn.transferFile(ch, size)) {
                var out = Channels.newChannel(conn.out());
                for (long pos = 0; pos < size; ) {
                    long n = ch.transferTo(pos, size - pos, out);
                    if (n <= 0) {
                        throw new IOException("the input file shrank while it was being sent");
                    }
                    pos += n;
                }
            }
            w.flush();
            return size;
        }
    }

    private static String noAnswer(String compiler, Transport.Connection conn) {
        return withDiagnostics("server provided no answer: it may not allow this client (--allow), or "
                + compiler + " may be missing from its /usr/lib/distcc whitelist", conn);
    }

    private static String withDiagnostics(String message, Transport.Connection conn) {
        String d = conn.diagnostics();
        return d.isEmpty() ? message : message + "; " + d;
    }
}
