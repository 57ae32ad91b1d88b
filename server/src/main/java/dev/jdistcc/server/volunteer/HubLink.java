package dev.jdistcc.server.volunteer;

import dev.jdistcc.fetcher.FetchEvent;
import dev.jdistcc.fetcher.FetchException;
import dev.jdistcc.fetcher.ToolchainCache;
import dev.jdistcc.fetcher.ToolchainFetcher;
import dev.jdistcc.server.ServerLog;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.manifest.Manifest;
import dev.jdistcc.toolchain.manifest.ToolchainInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the volunteer's toolchains in step with the hub: one synchronous sync at start-up, then a background
 * loop that retries with doubling waits while the hub is unreachable, untrusted or a download broke, and
 * refreshes the manifest now and then once all is well. Never throws at the daemon: every problem becomes
 * the {@link State}, a last error and a log line, and distccd keeps serving what it has.
 */
public final class HubLink implements AutoCloseable {
    /** How the hub looks from here, for the log and the --stats page. */
    public enum State {
        /** No answer yet. */
        STARTING,
        /** Manifest verified, every toolchain for this machine is ready. */
        OK,
        /** Manifest verified, some toolchains could not be installed (see the last error). */
        PARTIAL,
        /** No connection, or an error status (the hub answers 503 while it packages). */
        UNREACHABLE,
        /** The manifest does not verify with the trusted key. */
        UNTRUSTED,
        /** This machine cannot run fetched toolchains (bubblewrap or util-linux missing). */
        UNUSABLE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final VolunteerConfig config;
    private final ToolchainFetcher fetcher;
    private final ToolchainCache cache;
    private final ServerLog log;
    private final Runnable onTrusted;
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile Thread loop;
    private volatile boolean closed;

    HubLink(VolunteerConfig config, ToolchainFetcher fetcher, ToolchainCache cache, ServerLog log, Runnable onTrusted) {
        this.config = config;
        this.fetcher = fetcher;
        this.cache = cache;
        this.log = log;
        this.onTrusted = onTrusted;
    }

    public State state() {
        return state;
    }

    /** The most recent problem (kept after recovery, so the page shows what went wrong last), or null. */
    public String lastError() {
        return lastError;
    }

    void unusable(String why) {
        state = State.UNUSABLE;
        lastError = why;
        log.error("jdistcc_hub", why + "; serving without fetched toolchains");
    }

    /** Fetch events to the daemon's log; failures also become the last error. */
    void on(FetchEvent e) {
        switch (e) {
            case FetchEvent.ManifestLoaded m -> log.info("jdistcc_hub", "hub " + m.hub() + " offers " + m.toolchains()
                    + " toolchains, " + m.forThisHost() + " for " + fetcher.hostArch());
            case FetchEvent.DownloadStarted d -> log.notice("jdistcc_fetch", "fetching toolchain " + d.digest().shortForm()
                    + " (" + d.size() + " bytes" + (d.resumeFrom() > 0 ? ", resuming at " + d.resumeFrom() : "") + ")");
            case FetchEvent.DownloadProgress p -> log.debug("jdistcc_fetch", "toolchain " + p.digest().shortForm() + ": "
                    + p.bytes() + " of " + p.total() + " bytes");
            case FetchEvent.Verified v -> log.info("jdistcc_fetch", "toolchain " + v.digest().shortForm()
                    + ": archive hash and signature verified");
            case FetchEvent.Unpacked u -> log.info("jdistcc_fetch", "toolchain " + u.digest().shortForm() + ": unpacked "
                    + u.bytes() + " bytes, content digest verified");
            case FetchEvent.Ready r -> log.notice("jdistcc_fetch", "toolchain " + r.digest().shortForm()
                    + " ready (test run passed): " + String.join(" ", r.compilers()));
            case FetchEvent.Failed f -> {
                lastError = "toolchain " + f.digest().shortForm() + ": " + f.error().getMessage();
                log.error("jdistcc_fetch", "toolchain " + f.digest().shortForm() + " not installed: " + f.error().getMessage());
            }
        }
    }

    /** One round: the manifest, then every toolchain for this machine. True when nothing needs an early retry. */
    boolean sync() {
        try {
            Manifest m = fetcher.refreshManifest();
            if (overBudget(m)) {
                onTrusted.run();
                return true;
            }
            List<ToolchainDigest> ready = fetcher.syncAll(m);
            List<ToolchainDigest> retry = new ArrayList<>();
            for (ToolchainInfo t : m.forHost(fetcher.hostArch())) {
                if (!ready.contains(t.digest()) && fetcher.refusal(t.digest()).isEmpty()) {
                    retry.add(t.digest());
                }
            }
            int wanted = m.forHost(fetcher.hostArch()).size();
            State was = state;
            state = ready.size() == wanted ? State.OK : State.PARTIAL;
            if (was != state) {
                log.notice("jdistcc_hub", "hub " + config.hub() + ": " + ready.size() + " of " + wanted
                        + " toolchains for " + fetcher.hostArch() + " ready (" + cache.digests().size() + " held)");
            }
            onTrusted.run();
            return retry.isEmpty();
        } catch (FetchException.Untrusted e) {
            fail(State.UNTRUSTED, "refusing hub " + config.hub() + ": " + e.getMessage()
                    + " (is --trust the key `jdistcc-hub key` prints on the hub machine?); nothing is fetched from it");
        } catch (FetchException e) {
            fail(State.UNREACHABLE, "hub " + config.hub() + " is not usable: " + e.getMessage());
        } catch (RuntimeException e) {
            fail(State.UNREACHABLE, "hub " + config.hub() + ": unexpected " + e);
        }
        return false;
    }

    /**
     * Fetching everything would only evict toolchains to make room for others, round after round: when the
     * manifest's toolchains for this machine do not fit the budget, they are fetched on demand only.
     */
    private boolean overBudget(Manifest m) {
        long need = m.forHost(fetcher.hostArch()).stream().mapToLong(ToolchainInfo::unpackedSize).sum();
        if (need <= cache.budgetBytes()) {
            return false;
        }
        State was = state;
        state = State.OK;
        if (was != State.OK) {
            log.warning("jdistcc_hub", "the toolchains of hub " + config.hub() + " for " + fetcher.hostArch() + " need "
                    + need + " bytes, over the cache budget of " + cache.budgetBytes()
                    + " (--toolchain-cache-budget): fetching them on demand only");
        }
        return true;
    }

    private void fail(State s, String message) {
        boolean news = s != state || !message.equals(lastError);
        state = s;
        lastError = message;
        String held = "; serving with " + cache.digests().size() + " cached toolchains, retrying in the background";
        if (news) {
            log.error("jdistcc_hub", message + held);
        } else {
            log.info("jdistcc_hub", "still: " + message);
        }
    }

    /** Starts the background loop; {@code lastOk} is what the start-up sync returned. */
    void startLoop(boolean lastOk) {
        loop = Thread.ofPlatform().daemon().name("hub-link").start(() -> {
            int failures = lastOk ? 0 : 1;
            while (!closed) {
                Duration wait = failures == 0 ? config.refresh() : backoff(failures);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                if (!closed) {
                    failures = sync() ? 0 : failures + 1;
                }
            }
        });
    }

    Duration backoff(int failures) {
        long ms = config.firstRetry().toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(ms, config.maxRetry().toMillis()));
    }

    @Override
    public void close() {
        closed = true;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
