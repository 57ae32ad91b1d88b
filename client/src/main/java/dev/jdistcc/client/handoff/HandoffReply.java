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
     * The launcher must run this command itself (jobs that must be local, and fallbacks) with these
     * environment variables set, so stdin, the terminal and the umask are the user's; it sends back the exit code.
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

    /**
     * The launcher must run this preprocessor command to the end (after setting these environment variables)
     * with stdin from /dev/null, stdout to {@code output} and stderr to its own, and send back its exit code
     * ('P'). With {@code capture} ('Q', only for launchers that declare {@link HandoffRequest#CPP_CAPTURE}) it
     * holds the stderr back and answers with it, the exit code and whether the output names {@code __DATE__},
     * {@code __TIME__} or {@code __TIMESTAMP__}: the caller decides whether the user sees it (a partial cpp that
     * failed is replaced by a full one, whose diagnostics are the ones that count).
     */
    record Preprocess(Map<String, String> env, List<String> argv, String output, boolean capture)
            implements HandoffReply {
        public Preprocess {
            env = Map.copyOf(env);
            argv = List.copyOf(argv);
            if (argv.isEmpty() || output.isEmpty() || output.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a preprocessor command and an output file are needed");
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
            case RunLocally r -> command(out, 'L', r.env(), null, r.argv());
            case Preprocess p -> command(out, p.capture() ? 'Q' : 'P', p.env(), p.output(), p.argv());
        }
        out.flush();
    }

    /** 'L', 'P' and 'Q': NUL-terminated items: K=V settings, an empty item, ['P', 'Q': the output file], then argv. */
    private static void command(OutputStream out, char type, Map<String, String> env, String output,
                                List<String> argv) throws IOException {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        sb.append('\0');
        if (output != null) {
            sb.append(output).append('\0');
        }
        argv.forEach(a -> sb.append(a).append('\0'));
        byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
        out.write(type);
        writeInt(out, payload.length);
        out.write(payload);
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
