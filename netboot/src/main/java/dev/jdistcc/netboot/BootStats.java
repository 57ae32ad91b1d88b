package dev.jdistcc.netboot;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What netboot has served, per machine: boots started, bytes of the current boot and in total. A boot
 * starts when a machine fetches its per-MAC script; the bytes counted are response bodies as written
 * by the HTTP handlers (scripts and boot files), so they are the cost of one boot on the wire.
 */
public final class BootStats {

    /**
     * One machine's counters.
     *
     * @param boots          per-MAC scripts served
     * @param bootBytes      bytes sent since the latest boot started
     * @param totalBytes     bytes sent to this machine ever
     * @param filesCompleted boot files sent in full during the latest boot
     */
    public record Machine(MacAddress mac, String lastAddress, int boots, long bootBytes, long totalBytes,
                          int filesCompleted, Instant firstSeen, Instant lastSeen) {}

    private final Clock clock;
    private final ConcurrentHashMap<MacAddress, Machine> machines = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong entryScripts = new AtomicLong();

    public BootStats(Clock clock) {
        this.clock = clock;
    }

    void entryScriptServed(long bytes) {
        entryScripts.incrementAndGet();
        totalBytes.addAndGet(bytes);
    }

    void bootStarted(MacAddress mac, String address, long scriptBytes) {
        Instant now = clock.instant();
        totalBytes.addAndGet(scriptBytes);
        machines.merge(mac, new Machine(mac, address, 1, scriptBytes, scriptBytes, 0, now, now),
                (old, n) -> new Machine(mac, address, old.boots() + 1, scriptBytes, old.totalBytes() + scriptBytes,
                        0, old.firstSeen(), now));
    }

    void transferred(MacAddress mac, long bytes, boolean complete) {
        totalBytes.addAndGet(bytes);
        if (mac == null) {
            return;
        }
        Instant now = clock.instant();
        int done = complete ? 1 : 0;
        machines.merge(mac, new Machine(mac, "", 0, bytes, bytes, done, now, now),
                (old, n) -> new Machine(mac, old.lastAddress(), old.boots(), old.bootBytes() + bytes,
                        old.totalBytes() + bytes, old.filesCompleted() + done, old.firstSeen(), now));
    }

    public Optional<Machine> machine(MacAddress mac) {
        return Optional.ofNullable(machines.get(mac));
    }

    /** Most recently active first. */
    public List<Machine> machines() {
        return machines.values().stream().sorted(Comparator.comparing(Machine::lastSeen).reversed()).toList();
    }

    /** Bytes of every response body netboot has written. */
    public long totalBytes() {
        return totalBytes.get();
    }

    public long entryScripts() {
        return entryScripts.get();
    }
}
