package dev.jdistcc.hub.resident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How many of the CPUs this process may run on were idle lately: from {@code /proc/stat}, over the CPUs in
 * {@code Cpus_allowed_list} of {@code /proc/self/status}, between two readings at least {@link #MIN_WINDOW_NANOS}
 * apart. Unlike the load average it reacts within a second, and it counts only the CPUs this machine's jobs
 * can use (a process pinned to some CPUs is not told that other CPUs are busy). 0 when unknown (no
 * {@code /proc}, or before a second reading). Thread-safe.
 */
final class IdleCpus implements DoubleSupplier {

    static final long MIN_WINDOW_NANOS = 500_000_000L;

    private final Path stat;
    private final BitSet allowed;
    private final LongSupplier clock;
    private long readAt = Long.MIN_VALUE;
    private long[] last;
    private double idle;

    IdleCpus(Path stat, BitSet allowed, LongSupplier clock) {
        this.stat = stat;
        this.allowed = allowed;
        this.clock = clock;
    }

    /** This process's CPUs, from the running system (all CPUs when the allowed list cannot be read). */
    static IdleCpus ofThisProcess() {
        BitSet allowed;
        try {
            allowed = allowedCpus(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            allowed = null;
        }
        return new IdleCpus(Path.of("/proc/stat"), allowed, System::nanoTime);
    }

    @Override
    public synchronized double getAsDouble() {
        long now = clock.getAsLong();
        if (last != null && now - readAt < MIN_WINDOW_NANOS) {
            return idle;
        }
        long[] reading;
        try {
            reading = idleAndTotal(Files.readAllLines(stat), allowed);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        if (last != null) {
            long total = reading[1] - last[1];
            idle = total <= 0 ? 0 : (double) (reading[0] - last[0]) / total * reading[2];
        }
        last = reading;
        readAt = now;
        return idle;
    }

    /** The CPUs of a {@code Cpus_allowed_list:} line ("0-3,6"); null when there is none. */
    static BitSet allowedCpus(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return cpuList(line.substring(line.indexOf(':') + 1));
            }
        }
        return null;
    }

    /** The CPUs of a kernel CPU list ("0-3,6", as in {@code Cpus_allowed_list} or {@code /sys/devices/system/cpu/online}). */
    static BitSet cpuList(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.trim().split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    /**
     * Idle ticks (idle + iowait), all ticks, and the number of CPUs summed, over the {@code cpuN} lines of
     * {@code /proc/stat} whose N is in {@code allowed} (null: all of them).
     */
    static long[] idleAndTotal(List<String> statLines, BitSet allowed) {
        long idle = 0;
        long total = 0;
        long cpus = 0;
        for (String line : statLines) {
            if (!line.startsWith("cpu") || line.length() < 4 || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (allowed != null && !allowed.get(Integer.parseInt(f[0].substring(3)))) {
                continue;
            }
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            cpus++;
        }
        return new long[] {idle, total, cpus};
    }
}
