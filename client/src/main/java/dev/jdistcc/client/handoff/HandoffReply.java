package dev.jdistcc.client.handoff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What the resident process answers the native launcher: a finished job, or a command to run locally. */
public sealed interface HandoffReply {

    /** The job is done: the launcher prints these bytes and exits with this code. */
    record Finished(byte[] stdout, byte[] stderr, int exitCode) implements HandoffReply {}

    /**
     * The launcher must exec this command itself (jobs that must be local, and fallbacks), after setting
     * these environment variables, so stdin, the terminal, signals and the umask are the user's.
     */
    record RunLocally(Map<String, String> env, List<String> argv) implements HandoffReply {
        public RunLocally {
            env = Map.copyOf(env);
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("nothing to run");
            }
        }
    }

    /** Frames as read by jdistcc-launch.c: type byte, u32 big-endian length, payload. */
    default void write(OutputStream out) throws IOException {
        switch (this) {
            case Finished f -> {
                frame(out, 'O', f.stdout());
                frame(out, 'E', f.stderr());
                byte[] x = {0, 0, 0, (byte) f.exitCode()};
                out.write('X');
                writeInt(out, 4);
                out.write(x);
            }
            case RunLocally r -> {
                StringBuilder sb = new StringBuilder();
                r.env().forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
                sb.append('\0');
                r.argv().forEach(a -> sb.append(a).append('\0'));
                byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
                out.write('L');
                writeInt(out, payload.length);
                out.write(payload);
            }
        }
        out.flush();
    }

    /** An output frame ('O' stdout, 'E' stderr); nothing for an empty payload. */
    static void frame(OutputStream out, char type, byte[] payload) throws IOException {
        if (payload.length == 0) {
            return;
        }
        out.write(type);
        writeInt(out, payload.length);
        out.write(payload);
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
