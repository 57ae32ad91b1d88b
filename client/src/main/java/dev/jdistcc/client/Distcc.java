package dev.jdistcc.client;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compile path without any CLI: {@code compile(job) → result}. Decides local or remote (§2.4), picks and
 * locks a host (§2.9), runs cpp overlapped with sending the header (§1.4), and falls back or retries per
 * §2.11, with the 3.4 bugs left out: a compile error is not blamed on the server, a cpp failure is not
 * re-run, and a zero backoff period means at most three tries (#434).
 *
 * <p>{@link #withToolchains} says which packaged toolchain a compiler is, for requests to jdistcc peers.
 *
 * <p>Three hooks serve a resident process that runs many jobs at once: {@link #withJobId} names the monitor
 * record after the job's launcher, {@link #withPlacement} chooses hosts with a view of every job, and
 * {@link #withLocalRunner} decides how a local run happens. The defaults behave as distcc 3.4.
 */
public final class Distcc {
    final ClientEnv env;
    final ClientLog log;
    final Transport transport;
    final long jobId;
    final Backoff backoff;
    final Scheduler scheduler;
    final SlotLocks locks;
    final Placement placement;
    final LocalRunner localRunner;
    final ToolchainNames toolchains;

    public Distcc(ClientEnv env, ClientLog log, Transport transport) {
        this(env, log, transport, ProcessHandle.current().pid(), Placement.lockOrder(env.pause()), LocalRunner.CHILD,
                new ToolchainIndex.FromFile(ToolchainIndex.defaultFile(env.env())));
    }

    private Distcc(ClientEnv env, ClientLog log, Transport transport, long jobId, Placement placement,
                   LocalRunner localRunner, ToolchainNames toolchains) {
        this.env = env;
        this.log = log;
        this.transport = transport;
        this.jobId = jobId;
        this.backoff = new Backoff(env.lockDir(), env.backoffPeriod());
        this.locks = new SlotLocks(env.lockDir());
        this.scheduler = new Scheduler(locks, env.pause());
        this.placement = placement;
        this.localRunner = localRunner;
        this.toolchains = toolchains;
    }

    /** Names the job's monitor record ({@code binstate_<id>}) and seeds {@code --randomize}: a process id. */
    public Distcc withJobId(long id) {
        return new Distcc(env, log, transport, id, placement, localRunner, toolchains);
    }

    public Distcc withPlacement(Placement p) {
        return new Distcc(env, log, transport, jobId, p, localRunner, toolchains);
    }

    public Distcc withLocalRunner(LocalRunner r) {
        return new Distcc(env, log, transport, jobId, placement, r, toolchains);
    }

    /**
     * Which packaged toolchain a job's compiler is, named in requests to jdistcc peers ({@code ,lz4} hosts).
     * Default: the hub's index file ({@link ToolchainIndex#defaultFile}), read when first needed.
     */
    public Distcc withToolchains(ToolchainNames t) {
        return new Distcc(env, log, transport, jobId, placement, localRunner, t);
    }

    public CompileResult compile(CompileJob job) throws InterruptedException {
        Map<String, String> childEnv = childEnv(job);
        try (StateFile state = new StateFile(env.stateDir(), jobId)) {
            if (env.safeguardLevel() > 0) {
                // Masquerade at level 1: run at once, without locks (reference §2.2).
                return new CompileResult(exec(job, job.argv(), childEnv), CompileResult.Where.LOCAL, "localhost");
            }
            List<String> expanded = ArgExpand.responseFiles(job.argv(), job.cwd());
            ScanResult scan;
            try {
                scan = ArgScan.scan(ArgExpand.preprocessorOptions(expanded));
            } catch (IllegalArgumentException e) {
                log.log(ERROR, e.getMessage());
                return new CompileResult(ExitCodes.BAD_ARGUMENTS, CompileResult.Where.NOT_RUN, "");
            }
            List<String> localArgv = rewrite(job.argv(), job.path());
            if (scan instanceof ScanResult.Distributable d) {
                return new RemoteJob(this, job, expanded, localArgv, d, childEnv, state).run();
            }
            ScanResult.Local l = (ScanResult.Local) scan;
            log.log(INFO, l.reason());
            String input = ArgScan.firstSource(expanded);
            int code = runLocal(job, localArgv, childEnv, input, localPool(l.cpp()), state);
            return new CompileResult(code, CompileResult.Where.LOCAL, "localhost");
        }
    }

    List<String> rewrite(List<String> argv, String path) {
        return env.noRewriteCross() ? argv : CompilerName.rewrite(argv, path);
    }

    private Map<String, String> childEnv(CompileJob job) {
        Map<String, String> e = new HashMap<>(env.env());
        if (job.path() != null) {
            e.put("PATH", job.path());
        }
        e.put("_DISTCC_SAFEGUARD", Integer.toString(env.safeguardLevel() + 1));
        return e;
    }

    private int localPool(boolean cpp) {
        try {
            HostList h = HostListSource.load(env, jobId);
            return cpp ? h.localSlotsCpp() : h.localSlots();
        } catch (HostListException e) {
            return cpp ? HostList.DEFAULT_LOCAL_SLOTS_CPP : HostList.DEFAULT_LOCAL_SLOTS;
        }
    }

    /** A local run under a cpu_localhost slot, with distcc's error line when it fails. */
    int runLocal(CompileJob job, List<String> argv, Map<String, String> childEnv, String input, int pool,
                 StateFile state) throws InterruptedException {
        try (SlotLocks.Lease lease = scheduler.acquireLocal(pool, state)) {
            return runLocalHeld(job, argv, childEnv, input, lease.slot(), state);
        } catch (IOException e) {
            log.log(WARNING, "failed to lock a local slot in " + env.lockDir() + ": " + e.getMessage());
            return runLocalHeld(job, argv, childEnv, input, 0, state);
        }
    }

    int runLocalHeld(CompileJob job, List<String> argv, Map<String, String> childEnv, String input, int slot,
                     StateFile state) throws InterruptedException {
        state.where(input, "localhost", slot);
        state.phase(StateFile.Phase.COMPILE);
        int code = exec(job, argv, childEnv);
        if (code != 0 && code != ExitCodes.COMPILER_MISSING && code != LocalRunner.UNKNOWN_EXIT) {
            log.log(ERROR, "compile " + (input == null ? "(NULL)" : input) + " on localhost failed");
        }
        return code;
    }

    /** Runs a command through the local runner; 110 when the compiler cannot be found or started. */
    private int exec(CompileJob job, List<String> argv, Map<String, String> childEnv) throws InterruptedException {
        Path exe = resolve(job, argv.getFirst());
        if (exe == null) {
            log.log(ERROR, "failed to exec " + argv.getFirst() + ": No such file or directory");
            return ExitCodes.COMPILER_MISSING;
        }
        try {
            return localRunner.run(job, exe, argv, childEnv);
        } catch (IOException e) {
            log.log(ERROR, "failed to exec " + argv.getFirst() + ": " + e.getMessage());
            return ExitCodes.COMPILER_MISSING;
        }
    }

    static Path resolve(CompileJob job, String name) {
        return Executables.find(name, job.path(), job.cwd());
    }

    void write(CompileJob job, byte[] data, boolean err) {
        if (data.length == 0) {
            return;
        }
        try {
            OutputStream o = job.stdio() == null ? (err ? System.err : System.out)
                    : (err ? job.stdio().err() : job.stdio().out());
            o.write(data);
            o.flush();
        } catch (IOException e) {
            // the reader of our output went away; the compile result stands
        }
    }
}
