package dev.jdistcc.client.handoff;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One job handed over by the native launcher (distribution/src/c/jdistcc-launch.c): the compiler command
 * line as the user typed it, the launcher's environment, working directory, the name it was invoked
 * under (a masquerade link or distcc itself), its umask and its process id (which names the job's monitor
 * record and appears in its log lines, as a per-job distcc process's pid would), and the features the
 * launcher declares ({@link #CPP_CAPTURE}).
 */
public record HandoffRequest(List<String> argv, Map<String, String> env, String cwd, String argv0, int umask,
                             long pid, Set<String> features) {

    /** The launcher runs 'Q' (a preprocessor with its stderr captured) and answers 'q'. */
    public static final String CPP_CAPTURE = "cpp-capture";

    static final byte[] MAGIC = "JDL1".getBytes(StandardCharsets.US_ASCII);
    /** The environment item that lists the launcher's features (older hubs skip it: it has no name). */
    static final String FEATURES = "=features=";
    /** Bounds against a confused or hostile local peer. */
    static final int MAX_ITEMS = 1 << 16;
    static final int MAX_STRING = 1 << 20;

    public HandoffRequest {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        features = Set.copyOf(features);
    }

    /** A request from a launcher that declares no features. */
    public HandoffRequest(List<String> argv, Map<String, String> env, String cwd, String argv0, int umask, long pid) {
        this(argv, env, cwd, argv0, umask, pid, Set.of());
    }

    /** Decodes the launcher's request; a malformed one is an {@link IOException} naming what was wrong. */
    public static HandoffRequest read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a jdistcc launcher request (bad magic)");
        }
        List<String> argv = readStrings(in, "argv");
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> features = new HashSet<>();
        for (String kv : readStrings(in, "environment")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (kv.startsWith(FEATURES)) {
                // Not an environment variable (no name): the launcher's own capabilities, comma-separated.
                features.addAll(List.of(kv.substring(FEATURES.length()).split(",")));
            }
        }
        String cwd = readString(in);
        String argv0 = readString(in);
        int umask = in.readInt();
        long pid = Integer.toUnsignedLong(in.readInt());
        if (argv.isEmpty()) {
            throw new IOException("launcher request has an empty argv");
        }
        return new HandoffRequest(argv, env, cwd, argv0, umask & 0777, pid, features);
    }

    private static List<String> readStrings(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("launcher request has " + Integer.toUnsignedString(n) + " " + what + " items");
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readString(in));
        }
        return out;
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("launcher request string of " + Integer.toUnsignedString(n) + " bytes");
        }
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("launcher request truncated");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
