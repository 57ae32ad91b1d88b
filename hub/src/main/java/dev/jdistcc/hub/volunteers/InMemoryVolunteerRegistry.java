package dev.jdistcc.hub.volunteers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Volunteers kept in memory with an injected clock, so expiry is testable without sleeping. */
public final class InMemoryVolunteerRegistry implements VolunteerRegistry {
    private final Clock clock;
    private final Duration interval;
    private final TreeMap<String, Volunteer> byId = new TreeMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public InMemoryVolunteerRegistry(Clock clock, Duration heartbeatInterval) {
        this.clock = clock;
        this.interval = heartbeatInterval;
    }

    @Override
    public boolean heartbeat(Volunteer v) {
        Volunteer stamped = new Volunteer(v.id(), v.address(), v.port(), v.cpus(), v.jobs(), v.arch(), v.toolchains(),
                clock.instant());
        Volunteer old;
        synchronized (this) {
            old = byId.put(v.id(), stamped);
        }
        if (old == null || !sameFields(old, stamped)) {
            fire();
        }
        return old == null;
    }

    @Override
    public boolean remove(String id) {
        boolean removed;
        synchronized (this) {
            removed = byId.remove(id) != null;
        }
        if (removed) {
            fire();
        }
        return removed;
    }

    @Override
    public synchronized List<Volunteer> live() {
        Instant cutoff = clock.instant().minus(expiry());
        return byId.values().stream().filter(v -> v.lastSeen().isAfter(cutoff)).toList();
    }

    @Override
    public List<Volunteer> expire() {
        List<Volunteer> dropped = new ArrayList<>();
        synchronized (this) {
            Instant cutoff = clock.instant().minus(expiry());
            byId.values().removeIf(v -> {
                boolean stale = !v.lastSeen().isAfter(cutoff);
                if (stale) {
                    dropped.add(v);
                }
                return stale;
            });
        }
        if (!dropped.isEmpty()) {
            fire();
        }
        return dropped;
    }

    @Override
    public Duration heartbeatInterval() {
        return interval;
    }

    @Override
    public Duration expiry() {
        return interval.multipliedBy(3);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }

    private static boolean sameFields(Volunteer a, Volunteer b) {
        return Objects.equals(a.address(), b.address()) && a.port() == b.port() && a.cpus() == b.cpus()
                && a.jobs() == b.jobs() && Objects.equals(a.arch(), b.arch()) && a.toolchains().equals(b.toolchains());
    }
}
