package dev.jdistcc.server.volunteer;

import dev.jdistcc.fetcher.FetchException;
import dev.jdistcc.fetcher.VolunteerAnnouncer;
import dev.jdistcc.server.ServerLog;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps this distccd on the hub's volunteer list: a heartbeat ({@code PUT /v1/volunteers/{id}}) at the interval
 * the hub asks for, retried every 10 s while it fails, and a {@code DELETE} when the daemon drains. Failures
 * are logged when the state changes, not on every beat.
 */
final class Registration implements AutoCloseable {
    private static final Duration RETRY = Duration.ofSeconds(10);
    private final VolunteerAnnouncer announcer;
    private final String id;
    private final ServerLog log;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile Thread loop;
    private String lastFailure;

    Registration(java.net.URI hub, String id, Supplier<VolunteerAnnouncer.Status> status, ServerLog log) {
        this.id = id;
        this.log = log;
        this.announcer = new VolunteerAnnouncer(hub, id, status, e -> { });
    }

    String id() {
        return id;
    }

    boolean registered() {
        return registered;
    }

    /** Starts beating in the background (once; later calls do nothing). */
    synchronized void start() {
        if (loop != null || closed) {
            return;
        }
        loop = Thread.ofPlatform().daemon().name("hub-heartbeat").start(() -> {
            while (!closed) {
                Duration next = beat();
                try {
                    Thread.sleep(next);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private Duration beat() {
        try {
            Duration next = announcer.beat();
            if (!registered) {
                log.notice("jdistcc_register", "registered with the hub as volunteer " + id);
            }
            registered = true;
            lastFailure = null;
            return next;
        } catch (FetchException e) {
            registered = false;
            if (!e.getMessage().equals(lastFailure)) {
                log.warning("jdistcc_register", "cannot register volunteer " + id + ": " + e.getMessage());
            }
            lastFailure = e.getMessage();
            return RETRY;
        }
    }

    /** Stops the heartbeat and leaves the hub's list (best effort: an unreachable hub drops us after 3 beats). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = loop;
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcer.close();
        registered = false;
        log.notice("jdistcc_register", "left the hub's volunteer list");
    }
}
