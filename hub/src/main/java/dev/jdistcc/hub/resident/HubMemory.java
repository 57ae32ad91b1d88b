package dev.jdistcc.hub.resident;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a resident hub learnt that outlives it: each source's preprocessed size (least recently used first),
 * the typical job size, and each host's measured speed. A hub exits after an idle period; the next one,
 * started by the next build's first compile, reads this and plans that build's long poles and hosts as the
 * last hub would have, instead of learning them again during the build.
 *
 * <p>The file is text, one record per line, tab-separated, the name or path last:
 * <pre>
 * jdistcc-hub-memory 1
 * typical  LOG_MEAN  SEEN
 * host     BYTES_PER_MS  WALL_MS  KEY
 * source   BYTES  PATH
 * </pre>
 * Any other header, record kind or malformed number makes the whole file {@link Unreadable}: it is a cache,
 * so a hub then starts with an empty memory (and says why) rather than half of one. Names and paths holding a
 * tab or a line break are not written.
 */
record HubMemory(double typicalLogMean, long typicalSeen, Map<String, Long> sources, Map<String, HostSpeed> hosts) {

    static final String HEADER = "jdistcc-hub-memory 1";

    /** A host's measured speed: input bytes per wall millisecond, and the mean wall time of a job. */
    record HostSpeed(double bytesPerMs, double wallMs) {
    }

    static final HubMemory EMPTY = new HubMemory(0, 0, Map.of(), Map.of());

    HubMemory {
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    /** The file exists but is not a memory this version can use. */
    static final class Unreadable extends IOException {
        Unreadable(Path file, int line, String why) {
            super(file + (line > 0 ? ":" + line : "") + ": " + why + "; starting with an empty memory");
        }
    }

    /** The memory in {@code file}; empty when there is none. */
    static Optional<HubMemory> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Unreadable(file, 0, "not UTF-8 text");
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new Unreadable(file, 1, "expected the header '" + HEADER + "'");
        }
        double logMean = 0;
        long seen = 0;
        Map<String, Long> sources = new LinkedHashMap<>();
        Map<String, HostSpeed> hosts = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            int n = i + 1;
            switch (f[0]) {
                case "typical" -> {
                    expectFields(file, n, f, 3);
                    logMean = number(file, n, f[1]);
                    seen = (long) number(file, n, f[2]);
                }
                case "host" -> {
                    expectFields(file, n, f, 4);
                    hosts.put(name(file, n, f[3]), new HostSpeed(positive(file, n, f[1]), positive(file, n, f[2])));
                }
                case "source" -> {
                    expectFields(file, n, f, 3);
                    sources.put(name(file, n, f[2]), (long) positive(file, n, f[1]));
                }
                default -> throw new Unreadable(file, n, "unknown record '" + f[0] + "'");
            }
        }
        return Optional.of(new HubMemory(logMean, seen, sources, hosts));
    }

    /** Writes the memory to {@code file} whole or not at all (a temporary file renamed over it), owner-only. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER + "\n");
                w.write("typical\t" + typicalLogMean + "\t" + typicalSeen + "\n");
                for (Map.Entry<String, HostSpeed> h : hosts.entrySet()) {
                    if (plain(h.getKey())) {
                        w.write("host\t" + h.getValue().bytesPerMs() + "\t" + h.getValue().wallMs() + "\t" + h.getKey() + "\n");
                    }
                }
                for (Map.Entry<String, Long> s : sources.entrySet()) {
                    if (plain(s.getKey())) {
                        w.write("source\t" + s.getValue() + "\t" + s.getKey() + "\n");
                    }
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean plain(String s) {
        return !s.isEmpty() && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0;
    }

    private static void expectFields(Path file, int line, String[] f, int n) throws Unreadable {
        if (f.length != n) {
            throw new Unreadable(file, line, "'" + f[0] + "' has " + (f.length - 1) + " fields, expected " + (n - 1));
        }
    }

    private static String name(Path file, int line, String s) throws Unreadable {
        if (s.isEmpty()) {
            throw new Unreadable(file, line, "empty name");
        }
        return s;
    }

    private static double number(Path file, int line, String s) throws Unreadable {
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d) && d >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Unreadable(file, line, "'" + s + "' is not a number of 0 or more");
    }

    private static double positive(Path file, int line, String s) throws Unreadable {
        double d = number(file, line, s);
        if (d <= 0) {
            throw new Unreadable(file, line, "'" + s + "' is not above 0");
        }
        return d;
    }
}
