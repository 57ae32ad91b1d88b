package dev.jdistcc.client.handoff;

import java.io.DataOutputStream;
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
     * these environment variables, so stdin, the terminal and signals behave as with the bare compiler.
     */
    record RunLocally(Map<String, String> env, List<String> argv) implements HandoffReply {
        public RunLocally {
            env = Map.copyOf(env);
            argv = List.copyOf(argv);
        }
    }

    /** Frames as read by jdistcc-launch.c: type byte, u32 big-endian length, payload. */
    default void write(OutputStream raw) throws IOException {
        DataOutputStream out = new DataOutputStream(raw);
        switch (this) {
            case Finished f -> {
                if (f.stdout().length > 0) {
                    frame(out, 'O', f.stdout());
                }
                if (f.stderr().length > 0) {
                    frame(out, 'E', f.stderr());
                }
                frame(out, 'X', new byte[] {0, 0, 0, (byte) f.exitCode()});
            }
            case RunLocally r -> {
                StringBuilder sb = new StringBuilder();
                r.env().forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
                sb.append('\0');
                r.argv().forEach(a -> sb.append(a).append('\0'));
                frame(out, 'L', sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        out.flush();
    }

    private static void frame(DataOutputStream out, char type, byte[] payload) throws IOException {
        out.writeByte(type);
        out.writeInt(payload.length);
        out.write(payload);
    }
}
