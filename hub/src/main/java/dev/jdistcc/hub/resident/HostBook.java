package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the resident scheduler knows of each host: its measurements ({@link HostModel}) and the jobs of ours
 * holding its slots. Not thread-safe: the scheduler calls it under its lock.
 */
final class HostBook {

    /**
     * One of our jobs holding a slot: its host's key, its lock's id, when it started, how long it should take,
     * its input size and whether it is one of the build's long poles.
     */
    record Running(String key, String id, long start, long expected, long bytes, boolean pole) {
        long expectedEnd(long now) {
            long end = start + expected;
            // Overdue: assume it needs as long again as it has overrun, so a stalled host looks ever busier.
            return end >= now ? end : now + (now - end);
        }
    }

    private final Map<String, HostModel> models = new HashMap<>();
    private final List<Running> running = new ArrayList<>();
    private final Set<String> held = new HashSet<>();

    static String key(HostSpec h) {
        return h.displayName();
    }

    private HostModel model(String key) {
        return models.computeIfAbsent(key, k -> new HostModel());
    }

    /** Whether the host is avoided after failed attempts. */
    boolean cooling(HostSpec h, long now) {
        HostModel m = models.get(key(h));
        return m != null && m.cooling(now);
    }

    /** How many of our jobs hold slots. */
    int runningCount() {
        return running.size();
    }

    /** When each of our jobs on the hosts {@code keys} is expected to end, earliest first. */
    List<Long> ends(Set<String> keys, long now) {
        List<Long> ends = new ArrayList<>();
        for (Running r : running) {
            if (keys.contains(r.key())) {
                ends.add(r.expectedEnd(now));
            }
        }
        ends.sort(null);
        return ends;
    }

    /** How many of our jobs hold slots of the host {@code key}. */
    int runningOn(String key) {
        int n = 0;
        for (Running r : running) {
            n += r.key().equals(key) ? 1 : 0;
        }
        return n;
    }

    /** Whether one of our jobs holds the slot lock {@code id}. */
    boolean held(String id) {
        return held.contains(id);
    }

    /** How long a job of {@code bytes} input is expected to take on {@code h}. */
    long estimateNanos(HostSpec h, long bytes) {
        return model(key(h)).estimateNanos(bytes, prior(h));
    }

    /** A job of ours took slot {@code id} of {@code h}; {@code pole}: it is one of the build's long poles. */
    Running start(HostSpec h, String id, long bytes, long now, boolean pole) {
        Running r = new Running(key(h), id, now, estimateNanos(h, bytes), bytes, pole);
        running.add(r);
        held.add(id);
        return r;
    }

    void release(Running r) {
        running.remove(r);
        held.remove(r.id());
    }

    /** A job's outcome on {@code h}: a sample of its speed ({@code nanos} < 0: none), or a failure. */
    void compiled(HostSpec h, long bytes, long nanos, long now) {
        HostModel m = model(key(h));
        if (nanos >= 0) {
            m.compiled(bytes, nanos, now, fastestOther(m));
        }
    }

    void failed(HostSpec h, long now, long cooldownNanos) {
        model(key(h)).failed(now, cooldownNanos);
    }

    /**
     * The host as the planner sees it: when each of its slots is free ({@code blocked}: the slots none of our
     * jobs hold are taken by other processes), how long a job takes there, and its load.
     *
     * <p>With {@code longPoleRoom}, the host where the largest of our long poles in flight compiles offers one
     * slot less while it does (if it has two or more). A volunteer's slots often share its CPU (distccd's
     * default is two slots more than cores; a small machine may list more slots than it has cores): a job
     * beside the pole takes CPU from it, and the pole is the job that ends the build (lua's {@code lvm.c}).
     * The cost is one slot for the pole's duration on a host whose slots do not share.
     */
    Planner.HostPlan plan(HostSpec h, long now, int order, boolean blocked, boolean saturated, boolean longPoleRoom) {
        String k = key(h);
        List<Long> ends = new ArrayList<>();
        for (Running r : running) {
            if (r.key().equals(k)) {
                ends.add(r.expectedEnd(now));
            }
        }
        ends.sort(null);
        int offered = h.slots();
        if (longPoleRoom && offered >= 2 && k.equals(largestPoleHost())) {
            offered--;
        }
        long[] freeAt = new long[h.slots()];
        for (int i = 0; i < freeAt.length; i++) {
            freeAt[i] = i < ends.size() ? ends.get(i) : blocked || i >= offered ? Long.MAX_VALUE : now;
        }
        HostModel m = model(k);
        double prior = prior(h);
        // While the build is wide, an idle host whose measurement has gone stale is tried again (one job,
        // then its fresh sample decides); in the tail, and for busy hosts, the measurement stands.
        boolean retry = saturated && ends.isEmpty();
        Planner.Estimate estimate = retry ? bytes -> m.plannedNanos(bytes, prior, now) : bytes -> m.estimateNanos(bytes, prior);
        return new Planner.HostPlan(k, freeAt, estimate,
                h.slots() == 0 ? 1 : (double) ends.size() / h.slots(), order);
    }

    /** The key of the host running the largest of our long poles in flight (the first started of equals); null if none. */
    private String largestPoleHost() {
        Running largest = null;
        for (Running r : running) {
            if (r.pole() && (largest == null || r.bytes() > largest.bytes())) {
                largest = r;
            }
        }
        return largest == null ? null : largest.key();
    }

    /** Before a host is measured: as fast as the fastest measured one (so it gets tried), half that for localhost. */
    double prior(HostSpec h) {
        double best = 0;
        for (HostModel m : models.values()) {
            if (m.measured()) {
                best = Math.max(best, m.bytesPerMs());
            }
        }
        double p = best > 0 ? best : HostModel.DEFAULT_BYTES_PER_MS;
        return h instanceof HostSpec.Local ? p / 2 : p;
    }

    /** The best speed measured on any host but {@code self}; 0 when none is measured. */
    private double fastestOther(HostModel self) {
        double best = 0;
        for (HostModel m : models.values()) {
            if (m != self && m.measured()) {
                best = Math.max(best, m.bytesPerMs());
            }
        }
        return best;
    }

    /** What is known about each host, for a status line or a test. */
    Map<String, String> describe(long now) {
        Map<String, String> out = new LinkedHashMap<>();
        models.forEach((k, m) -> {
            long inFlight = running.stream().filter(r -> r.key().equals(k)).count();
            out.put(k, (m.measured() ? String.format("%.0f bytes/ms", m.bytesPerMs()) : "not measured")
                    + ", " + inFlight + " in flight" + (m.cooling(now) ? ", cooling down after a failure" : ""));
        });
        return out;
    }
}
