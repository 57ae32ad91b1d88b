package dev.jdistcc.client;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.jdistcc.protocol.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compile path without any CLI: {@code compile(job) → result}. Decides local or remote (§2.4), picks and
 * locks a host (§2.9), runs cpp overlapped with sending the header (§1.4), and falls back or retries per
 * §2.11, with the 3.4 bugs left out: a compile error is not blamed on the server, a cpp failure is not
 * re-run, and a zero backoff period means at most three tries (#434).
 */
public final class Distcc {
    private final ClientEnv env;
    private final ClientLog log;
    private final Transport transport;
    private final long pid;
    private final Backoff backoff;
    private final Scheduler scheduler;

    public Distcc(ClientEnv env, ClientLog log, Transport transport) {
        this.env = env;
        this.log = log;
        this.transport = transport;
        this.pid = ProcessHandle.current().pid();
        this.backoff = new Backoff(env.lockDir(), env.backoffPeriod());
        this.scheduler = new Scheduler(new SlotLocks(env.lockDir()), env.pause());
    }

    public CompileResult compile(CompileJob job) throws InterruptedException {
        Map<String, String> childEnv = childEnv(job);
        try (StateFile state = new StateFile(env.stateDir(), pid)) {
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
                return new RemoteJob(job, expanded, localArgv, d, childEnv, state).run();
            }
            ScanResult.Local l = (ScanResult.Local) scan;
            log.log(INFO, l.reason());
            String input = ArgScan.firstSource(expanded);
            int code = runLocal(job, localArgv, childEnv, input, localPool(l.cpp()), state);
            return new CompileResult(code, CompileResult.Where.LOCAL, "localhost");
        }
    }

    private List<String> rewrite(List<String> argv, String path) {
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
            HostList h = HostListSource.load(env, pid);
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
        if (code != 0 && code != ExitCodes.COMPILER_MISSING) {
            log.log(ERROR, "compile " + (input == null ? "(NULL)" : input) + " on localhost failed");
        }
        return code;
    }

    /** Runs a command with the job's stdio; 110 when the compiler cannot be found or started. */
    private int exec(CompileJob job, List<String> argv, Map<String, String> childEnv) throws InterruptedException {
        Path exe = resolve(job, argv.getFirst());
        if (exe == null) {
            log.log(ERROR, "failed to exec " + argv.getFirst() + ": No such file or directory");
            return ExitCodes.COMPILER_MISSING;
        }
        try {
            return ChildProcess.waitFor(ChildProcess.start(exe, argv, job.cwd(), childEnv, null, job.stdio()));
        } catch (IOException e) {
            log.log(ERROR, "failed to exec " + argv.getFirst() + ": " + e.getMessage());
            return ExitCodes.COMPILER_MISSING;
        }
    }

    static Path resolve(CompileJob job, String name) {
        return Executables.find(name.indexOf('/') >= 0 ? job.cwd().resolve(name).toString() : name, job.path());
    }

    private void write(CompileJob job, byte[] data, boolean err) {
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

    /** One distributable job: the attempt loop and the fallback of §2.11. */
    private final class RemoteJob {
        private final CompileJob job;
        private final List<String> expanded;
        private final List<String> localArgv;
        private final ScanResult.Distributable d;
        private final Map<String, String> childEnv;
        private final StateFile state;
        private Preprocessor cpp;
        private SlotLocks.Lease cppLease;

        RemoteJob(CompileJob job, List<String> expanded, List<String> localArgv, ScanResult.Distributable d,
                  Map<String, String> childEnv, StateFile state) {
            this.job = job;
            this.expanded = expanded;
            this.localArgv = localArgv;
            this.d = d;
            this.childEnv = childEnv;
            this.state = state;
        }

        CompileResult run() throws InterruptedException {
            HostList hosts;
            try {
                hosts = HostListSource.load(env, pid);
            } catch (HostListException e) {
                log.log(e.empty() ? WARNING : ERROR, e.getMessage());
                if (!env.fallback()) {
                    log.log(ERROR, "failed to distribute " + d.input() + " and fallbacks are disabled");
                    return new CompileResult(ExitCodes.NO_HOSTS, CompileResult.Where.NOT_RUN, "");
                }
                return local(HostList.DEFAULT_LOCAL_SLOTS, CompileResult.Where.FALLBACK);
            }
            try {
                return attempts(hosts);
            } finally {
                releaseCpp();
            }
        }

        private CompileResult local(int pool, CompileResult.Where where) throws InterruptedException {
            return new CompileResult(runLocal(job, localArgv, childEnv, d.input(), pool, state), where, "localhost");
        }

        private CompileResult attempts(HostList hosts) throws InterruptedException {
            List<String> remoteArgv = RemoteArgs.forServer(rewrite(d.argv(), job.path()));
            int maxTries = backoff.enabled() ? hosts.hosts().size() + 2 : 3;
            HostSpec.Remote last = null;
            RemoteFailure failure = null;
            for (int tries = 0; tries < maxTries; tries++) {
                List<HostSpec> usable = backoff.usable(upHosts(hosts), Instant.now());
                if (usable.isEmpty()) {
                    break;
                }
                try (SlotLocks.Lease lease = scheduler.acquire(usable, state)) {
                    if (!(lease.host() instanceof HostSpec.Remote host)) {
                        int code = runLocalHeld(job, localArgv, childEnv, d.input(), lease.slot(), state);
                        return new CompileResult(code, CompileResult.Where.LOCAL, "localhost");
                    }
                    last = host;
                    state.where(d.input(), host.host(), lease.slot());
                    state.phase(StateFile.Phase.CONNECT);
                    startCpp(hosts);
                    Response r = exchange(host, remoteArgv);
                    return accept(hosts, host, r);
                } catch (RemoteFailure f) {
                    failure = f;
                    log.log(INFO, "failed to compile " + d.input() + " on " + last.spec() + ": " + f.getMessage());
                    markQuietly(last);
                } catch (Preprocessor.Failed f) {
                    log.log(ERROR, "compile " + d.input() + " on localhost failed");
                    return new CompileResult(f.exitCode, CompileResult.Where.LOCAL, "localhost");
                } catch (IOException e) {
                    log.log(ERROR, "failed to prepare " + d.input() + ": " + e.getMessage());
                    return new CompileResult(ExitCodes.IO_ERROR, CompileResult.Where.NOT_RUN, "");
                }
            }
            String reason = failure != null ? failure.getMessage()
                    : last == null ? "every host is down or in backoff (DISTCC_BACKOFF_PERIOD)" : null;
            int code = failure != null && !backoff.enabled() ? failure.exitCode() : ExitCodes.NO_HOSTS;
            return fallback(hosts, last, reason, null, code);
        }

        private static List<HostSpec> upHosts(HostList hosts) {
            List<HostSpec> up = new java.util.ArrayList<>(hosts.hosts().size());
            for (HostSpec h : hosts.hosts()) {
                if (!(h instanceof HostSpec.Remote r && r.options().down())) {
                    up.add(h);
                }
            }
            return up;
        }

        private void startCpp(HostList hosts) throws IOException, InterruptedException {
            if (cpp != null) {
                return;
            }
            Path input = job.cwd().resolve(d.input());
            if (FileNames.isPreprocessed(d.input())) {
                cpp = Preprocessor.existing(input);
                return;
            }
            List<String> cppArgv = rewrite(RemoteArgs.forPreprocessor(expanded, d), job.path());
            Path exe = resolve(job, cppArgv.getFirst());
            if (exe == null) {
                throw new IOException("cannot find " + cppArgv.getFirst() + " on PATH");
            }
            cppLease = scheduler.acquireLocal(hosts.localSlotsCpp(), state);
            cpp = Preprocessor.start(exe, cppArgv, job.cwd(), childEnv, env.tmpDir(),
                    FileNames.cppSuffix(d.input()), job.stdio(), env.saveTemps());
        }

        private byte[] cppOutput() throws Preprocessor.Failed, IOException, InterruptedException {
            try {
                return cpp.await();
            } finally {
                if (cppLease != null) {
                    cppLease.close();
                    cppLease = null;
                }
            }
        }

        /** The cpp output, for RemoteCompile (a class, not a method reference: see ArgScan.LocalOption). */
        private final class CppInput implements RemoteCompile.Input {
            @Override
            public byte[] get() throws Preprocessor.Failed, IOException, InterruptedException {
                return cppOutput();
            }
        }

        private void releaseCpp() {
            if (cppLease != null) {
                cppLease.close();
            }
            if (cpp != null) {
                cpp.close();
            }
        }

        private Response exchange(HostSpec.Remote host, List<String> argv)
                throws RemoteFailure, Preprocessor.Failed, InterruptedException {
            try (Transport.Connection c = transport.open(host, env.ioTimeout())) {
                return RemoteCompile.run(c, host.version(), argv, new CppInput(), state);
            } catch (IOException closing) {
                throw new RemoteFailure.Io("failed to close the connection: " + closing.getMessage(), false, closing);
            }
        }

        /** A wait status came back: success, a compile error, or a compiler killed by a signal. */
        private CompileResult accept(HostList hosts, HostSpec.Remote host, Response r) throws InterruptedException {
            write(job, r.stdout(), false);
            if (r.status() == 0) {
                try {
                    OutputFiles.write(job.cwd().resolve(d.output()), r.object());
                } catch (IOException e) {
                    write(job, r.stderr(), true);
                    log.log(ERROR, "failed to write " + d.output() + ": " + e.getMessage());
                    return new CompileResult(ExitCodes.IO_ERROR, CompileResult.Where.REMOTE, host.spec());
                }
                write(job, r.stderr(), true);
                clearQuietly(host);
                log.log(INFO, "compile " + d.input() + " on " + host.spec() + " completed ok");
                return new CompileResult(0, CompileResult.Where.REMOTE, host.spec());
            }
            if (r.signal() != 0) {
                markQuietly(host);
                return fallback(hosts, host, "remote compiler was killed by signal " + r.signal(), r.stderr(),
                        128 + r.signal());
            }
            int code = r.exitCode();
            log.log(ERROR, "compile " + d.input() + " on " + host.spec() + " failed");
            if (env.skipLocalRetry()) {
                write(job, r.stderr(), true);
                return new CompileResult(code, CompileResult.Where.REMOTE, host.spec());
            }
            log.log(WARNING, "dcc_build_somewhere", "remote compilation of '" + d.input() + "' failed, retrying locally");
            if (!env.fallback()) {
                log.log(ERROR, "dcc_build_somewhere", "failed to distribute and fallbacks are disabled");
                write(job, r.stderr(), true);
                return new CompileResult(code, CompileResult.Where.REMOTE, host.spec());
            }
            log.log(WARNING, "failed to distribute " + d.input() + " to " + host.spec()
                    + ", running locally instead");
            int local = runLocal(job, localArgv, childEnv, d.input(), hosts.localSlots(), state);
            if (local != code) {
                // Only now is the server suspect: the same command behaved differently here (#74, #604).
                log.log(WARNING, "remote compilation of '" + d.input() + "' failed, retried locally and got a different result");
                markQuietly(host);
            }
            return new CompileResult(local, CompileResult.Where.FALLBACK, "localhost");
        }

        private CompileResult fallback(HostList hosts, HostSpec.Remote host, String reason, byte[] serr, int code)
                throws InterruptedException {
            String what = d.input() + (host == null ? "" : " to " + host.spec());
            String why = reason == null ? "" : " (" + reason + ")";
            if (!env.fallback()) {
                if (serr != null) {
                    write(job, serr, true);
                }
                log.log(ERROR, "failed to distribute " + what + " and fallbacks are disabled" + why);
                return new CompileResult(code, CompileResult.Where.NOT_RUN, "");
            }
            log.log(WARNING, "failed to distribute " + what + ", running locally instead" + why);
            return local(hosts.localSlots(), CompileResult.Where.FALLBACK);
        }

        private void markQuietly(HostSpec.Remote host) {
            try {
                backoff.mark(host);
            } catch (IOException e) {
                log.log(INFO, "failed to mark " + host.spec() + " for backoff: " + e.getMessage());
            }
        }

        private void clearQuietly(HostSpec.Remote host) {
            try {
                backoff.clear(host);
            } catch (IOException e) {
                log.log(INFO, "failed to clear backoff of " + host.spec() + ": " + e.getMessage());
            }
        }
    }
}
