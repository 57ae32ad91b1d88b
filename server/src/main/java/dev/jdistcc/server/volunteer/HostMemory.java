package dev.jdistcc.server.volunteer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures for the volunteer's status block, read from Linux's procfs: the machine's {@code MemTotal} and
 * {@code MemAvailable} ({@code /proc/meminfo}) and this server's resident set ({@code VmRSS} of
 * {@code /proc/self/status}), all in KiB; -1 where the file or field is missing (not Linux).
 */
record HostMemory(long totalKb, long availableKb, long serverRssKb) {
    private static final Path PROC = Path.of("/proc");

    static HostMemory read() {
        return read(PROC);
    }

    static HostMemory read(Path proc) {
        String meminfo = text(proc.resolve("meminfo"));
        return new HostMemory(field(meminfo, "MemTotal:"), field(meminfo, "MemAvailable:"),
                field(text(proc.resolve("self/status")), "VmRSS:"));
    }

    private static String text(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The number after {@code key} at the start of a line ("MemTotal:  1014820 kB"), or -1. */
    static long field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                String[] f = line.substring(key.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(f[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
