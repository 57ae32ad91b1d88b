package dev.jdistcc.hub.resident;

import dev.jdistcc.client.HostSpec;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.SlotLocks;
import dev.jdistcc.client.StateFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Places every job of the machine, knowing all of them (a per-job distcc sees only its own): measures each
 * host (bytes per wall-ms, EWMA), counts its own jobs in flight, and gives each waiting job the slot where it
 * is expected to finish first ({@link Planner}): work-conserving while the build keeps its jobs coming,
 * skipping slow hosts in the build's tail. A host is never given more jobs than its slots: every job
 * still takes distcc's fcntl lock for its slot, so stock clients sharing {@code $DISTCC_DIR} are counted and
 * see ours. Replies are bounded by a stall timeout derived from the host's measured speed, and a host whose
 * attempt failed is avoided for a while (doubling), besides distcc's own backoff files. Toolchain locality:
 * a volunteer known not to hold the toolchain a job names ({@link ToolchainLocality}, from the hub's
 * registry) is planned as if it first had to fetch it, until a job naming it has been sent there.
 */
public final class ResidentScheduler implements Placement {

    private final SchedulerConfig config;
    private final LongSupplier clock;
    private final DoubleSupplier spareCores;
    /** When a full cpp pays; under the lock, but for {@link FullCppRule#machineIdle}. */
    private final FullCppRule fullCpp;
    /** Each host's measurements and our jobs on it; under the lock. */
    private final HostBook hosts = new HostBook();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private long arrivals;
    /** Sources' sizes from earlier builds and the jobs announced meanwhile; under the lock. */
    private final SourceSizes sources = new SourceSizes();
    private IntSupplier load = () -> queue.size() + hosts.runningCount();
    /** Which entries are jdistcc peers and which toolchains they lack; under the lock. */
    private final PeerLocality peers = new PeerLocality();
    /** The build's load against its recent peak; under the lock. */
    private final LoadPeak peak = new LoadPeak();
    private final SameMachine sameMachine;
    /** The volunteers on this machine seen so far, as one pool of slots; under the lock. */
    private final SharedSlots shared;

    public ResidentScheduler(SchedulerConfig config) {
        this(config, System::nanoTime, ResidentScheduler::spareCores, IdleCpus.ofThisProcess(), SameMachine.byAddress());
    }

    ResidentScheduler(SchedulerConfig config, LongSupplier clock) {
        this(config, clock, SameMachine.none());
    }

    ResidentScheduler(SchedulerConfig config, LongSupplier clock, SameMachine sameMachine) {
        this(config, clock, () -> Double.MAX_VALUE, () -> 0, sameMachine);
    }

    /**
     * @param spareCores  cores to spare by the load average (for local slots)
     * @param idleCpus    how many of the CPUs this process may use were idle lately ({@link IdleCpus})
     * @param sameMachine which volunteers run on this machine
     */
    ResidentScheduler(SchedulerConfig config, LongSupplier clock, DoubleSupplier spareCores, DoubleSupplier idleCpus,
                      SameMachine sameMachine) {
        this.config = config;
        this.clock = clock;
        this.spareCores = spareCores;
        this.fullCpp = new FullCppRule(idleCpus);
        this.sameMachine = sameMachine;
        this.shared = new SharedSlots(config.sameMachineJobs());
    }

    /** While the volunteers limit the build and this machine idles ({@link FullCppRule}). */
    @Override
    public boolean fullCppPays() {
        synchronized (this) {
            if (!fullCpp.volunteersFull(queue.size(), hosts.runningCount())) {
                return false;
            }
        }
        return fullCpp.machineIdle();
    }

    /**
     * Cores this machine has to spare: its core count less its one-minute load average (runnable tasks,
     * the preprocessors and linkers of this build included). Unknown load counts as none to spare.
     */
    static double spareCores() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? 0 : Runtime.getRuntime().availableProcessors() - load;
    }

    /** Where toolchain locality comes from (the hub's registry, once its HTTP side is up). */
    public synchronized void toolchainLocality(ToolchainLocality l) {
        peers.source(l);
    }

    /** How many jobs the machine has in progress right now (by default: those waiting or holding a slot). */
    public synchronized void loadSource(IntSupplier jobs) {
        this.load = jobs;
    }

    /**
     * How long an announced job keeps a slot from smaller jobs while its cpp runs: a cpp slower than this
     * (a machine under load, a source grown huge) stops holding anyone back.
     */
    static final long ANNOUNCED_NANOS = 500_000_000L;

    @Override
    public boolean preprocessFirst() {
        return true;
    }

    /**
     * A job whose source was compiled before (this hub remembers each source's preprocessed size) ranks, while
     * its cpp runs, as it will once it asks for a slot: a slot freed meanwhile is not given to a smaller job,
     * so a build's largest units start as soon as their cpp is done instead of queueing behind jobs make
     * started earlier (distcc takes its slot before cpp, which has the same effect by accident of order).
     */
    @Override
    public synchronized Pending announce(String source) {
        SourceSizes.Announced a = sources.announce(source, clock.getAsLong(), arrivals);
        if (a == null) {
            return () -> { };
        }
        arrivals++;
        return () -> withdraw(a);
    }

    private synchronized void withdraw(SourceSizes.Announced a) {
        if (sources.withdraw(a)) {
            notifyAll();
        }
    }

    @Override
    public SlotLocks.Lease acquire(Job job, List<HostSpec> usable, SlotLocks locks, StateFile state)
            throws IOException, InterruptedException {
        List<HostSpec> candidates = candidates(usable, job.fallback());
        Waiter w;
        synchronized (this) {
            long seq = arrivals++;
            fullCpp.hostList(candidates);
            sources.sized(job.inputBytes());
            if (job.source() != null) {
                seq = sources.arrived(job.source(), job.inputBytes(), seq);   // an announced job keeps its place
            }
            w = new Waiter(job.inputBytes(), candidates, job.toolchain(), seq);
            queue.addLast(w);
        }
        try {
            boolean shown = false;
            while (true) {
                HostSpec pick;
                Long picked = null;
                synchronized (this) {
                    pick = plan(w);
                    if (pick == null && shown) {
                        // Planned and waiting under one hold of the lock: a slot released after this plan
                        // notifies this wait; it cannot slip in between and leave the job asleep for a
                        // whole poll interval with a slot free.
                        wait(Math.max(1, config.poll().toMillis()));
                        w.blocked.clear();
                        continue;
                    }
                    if (pick != null) {
                        // In the same hold as the plan: no other job plans with the pool slot this one took.
                        picked = shared.pick(HostBook.key(pick), clock.getAsLong() + hosts.estimateNanos(pick, job.inputBytes()));
                    }
                }
                if (pick == null) {
                    // First time blocked: show it in the monitor state (file I/O, outside the lock), plan again.
                    state.phase(StateFile.Phase.BLOCKED);
                    shown = true;
                    continue;
                }
                SlotLocks.Lease l;
                try {
                    l = lockFreeSlot(locks, pick);
                    if (l != null) {
                        synchronized (this) {
                            for (Waiter v : queue) {
                                if (v.seq < w.seq) {
                                    v.overtaken++;
                                }
                            }
                        }
                        return register(l, locks.dir(), job.inputBytes(), job.toolchain());
                    }
                } finally {
                    synchronized (this) {
                        shared.unpick(picked);
                    }
                }
                synchronized (this) {
                    w.blocked.add(HostBook.key(pick));
                }
            }
        } finally {
            synchronized (this) {
                queue.remove(w);
                notifyAll();
            }
        }
    }

    /**
     * The usable hosts, plus localhost when configured; hosts cooling down after failures are left out. When
     * that leaves none, the job is compiled here if it may fall back ({@code DISTCC_FALLBACK}), and otherwise
     * tries the cooling hosts after all: with fallbacks disabled only the caller may give up on a job.
     */
    private List<HostSpec> candidates(List<HostSpec> usable, boolean fallback) {
        List<HostSpec> out = new ArrayList<>(usable.size() + 1);
        boolean local = false;
        long now = clock.getAsLong();
        List<String> here = new ArrayList<>();
        if (config.sameMachineJobs() > 0) {
            for (HostSpec h : usable) {
                if (sameMachine.shares(h)) {   // resolves a name once, outside the lock
                    here.add(HostBook.key(h));
                }
            }
        }
        synchronized (this) {
            shared.add(here);
            for (HostSpec h : usable) {
                local |= h instanceof HostSpec.Local;
                if (!hosts.cooling(h, now)) {
                    out.add(h);
                }
            }
        }
        if (!local && config.implicitLocalSlots() > 0 && spareCores.getAsDouble() >= 1) {
            // Local cores count as a host only while one is idle: compiling here must not slow the
            // preprocessing that feeds every volunteer. The planner still sends the job here only if it
            // is expected to finish here first.
            out.add(new HostSpec.Local("localhost/" + config.implicitLocalSlots(), config.implicitLocalSlots()));
        }
        if (out.isEmpty() && fallback) {
            // Every host is cooling down: compile here rather than wait for one (distcc's fallback).
            out.add(new HostSpec.Local("localhost", 1));
        } else if (out.isEmpty()) {
            out.addAll(usable);
        }
        return out;
    }

    /** Under the lock: the host the waiter should take now, or null. */
    private HostSpec plan(Waiter w) {
        long now = clock.getAsLong();
        boolean saturated = peak.saturated(load.getAsInt(), now);
        Map<String, Planner.HostPlan> plans = new LinkedHashMap<>();
        List<Planner.Waiting> ahead = new ArrayList<>();
        List<Waiter> order = new ArrayList<>(queue);
        for (SourceSizes.Announced a : sources.fresh(now, ANNOUNCED_NANOS)) {
            // as it will wait: its remembered size, the hosts the planning job may use
            order.add(new Waiter(a.bytes(), w.candidates, null, a.seq()));
        }
        long typical = sources.typical();
        order.sort((a, b) -> a.rank(typical).compareTo(b.rank(typical)));
        Planner.Pool pool = shared.pool(hosts, now);
        for (Waiter v : order) {
            List<String> keys = new ArrayList<>(v.candidates.size());
            Set<String> lacking = Set.of();
            for (HostSpec h : v.candidates) {
                String k = HostBook.key(h);
                keys.add(k);
                plans.computeIfAbsent(k, x -> {
                    Planner.HostPlan p = hosts.plan(h, now, plans.size(), w.blocked.contains(x), saturated,
                            config.longPoleRoom());
                    return pool != null && shared.contains(x) ? p.inPool(pool, hosts.runningOn(x)) : p;
                });
                if (peers.lacks(h, v.toolchain)) {
                    lacking = lacking.isEmpty() ? new HashSet<>() : lacking;
                    lacking.add(k);
                }
            }
            ahead.add(new Planner.Waiting(v.bytes, keys, lacking, config.toolchainFetch().toNanos()));
            if (v == w) {
                break;
            }
        }
        String k = Planner.choose(now, ahead, plans, saturated);
        if (k == null) {
            return null;
        }
        for (HostSpec h : w.candidates) {
            if (HostBook.key(h).equals(k)) {
                return h;
            }
        }
        return null;
    }

    /** Tries the host's slots that none of our own jobs hold; null when other processes hold the rest. */
    private SlotLocks.Lease lockFreeSlot(SlotLocks locks, HostSpec h) throws IOException {
        for (int slot = 0; slot < h.slots(); slot++) {
            String id = heldId(locks.dir(), h, slot);
            synchronized (this) {
                if (hosts.held(id)) {
                    continue;
                }
            }
            SlotLocks.Lease l = locks.tryLock(h, slot);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    private static String heldId(Path lockDir, HostSpec h, int slot) {
        return lockDir + "/" + SlotLocks.fileName(h, slot);
    }

    private SlotLocks.Lease register(SlotLocks.Lease l, Path lockDir, long bytes, String toolchain) {
        String id = heldId(lockDir, l.host(), l.slot());
        HostSpec slotHost = l.host();   // as the host list names it: the key its measurements are kept under
        HostBook.Running r;
        synchronized (this) {
            HostSpec used = peers.asUsed(l.host());
            if (used != l.host()) {
                // same lock file (host and port), but the job talks to it as the jdistcc peer it is
                l = new SlotLocks.Lease(used, l.slot(), l.channel(), l.onRelease());
            }
            peers.sent(used, toolchain);
            // A long pole only once the typical size is known: before that every job ranks as one.
            long typical = sources.typical();
            r = hosts.start(slotHost, id, bytes, clock.getAsLong(), typical > 0 && Planner.longPole(bytes, typical));
        }
        return l.whenReleased(() -> released(r));
    }

    private synchronized void released(HostBook.Running r) {
        hosts.release(r);
        notifyAll();
    }

    @Override
    public Duration replyTimeout(HostSpec.Remote host, long inputBytes, Duration ioTimeout) {
        long expected;
        synchronized (this) {
            expected = hosts.estimateNanos(host, inputBytes);
        }
        Duration bound = Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 2.0, expected * config.stallFactor()));
        if (bound.compareTo(config.stallMin()) < 0) {
            bound = config.stallMin();
        }
        return bound.compareTo(ioTimeout) < 0 ? bound : ioTimeout;
    }

    @Override
    public synchronized void finished(Outcome o) {
        switch (o.kind()) {
            case COMPILED, LOCAL -> hosts.compiled(o.host(), o.inputBytes(), aloneNanos(o), clock.getAsLong());
            case FAILED -> hosts.failed(o.host(), clock.getAsLong(), config.cooldown().toNanos());
        }
        notifyAll();
    }

    /**
     * Under the lock: how long the job would have taken alone on its host. On a volunteer on this machine our
     * jobs share its CPU ({@link Planner.HostPlan#inPool}), so a job that ran beside others (counted at its end,
     * itself included) took that many times as long; the planner multiplies back by the jobs there.
     */
    private long aloneNanos(Outcome o) {
        String k = HostBook.key(o.host());
        return o.nanos() > 0 && shared.contains(k) ? o.nanos() / Math.max(1, hosts.runningOn(k)) : o.nanos();
    }

    /** How many jobs wait for a slot now. */
    public synchronized int waiting() {
        return queue.size();
    }

    /** What is known about each host, for a status line or a test. */
    public synchronized Map<String, String> describe() {
        Map<String, String> d = hosts.describe(clock.getAsLong());
        d.replaceAll((k, v) -> shared.contains(k) ? v + ", on this machine" : v);
        return d;
    }
}
