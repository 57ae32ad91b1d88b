package dev.jdistcc.client;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.WireVersion;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One distributable job of {@link Distcc}: the attempt loop and the fallback of §2.11. */
final class RemoteJob {
    private final Distcc dc;
    private final CompileJob job;
    private final List<String> expanded;
    private final List<String> localArgv;
    private final ScanResult.Distributable d;
    private final Map<String, String> childEnv;
    private final StateFile state;
    private final JobCpp cpp;
    private boolean toolchainAsked;
    private boolean toolchainLogged;
    private RequestHeader.ToolchainRef toolchainRef;

    RemoteJob(Distcc dc, CompileJob job, List<String> expanded, List<String> localArgv, ScanResult.Distributable d,
              Map<String, String> childEnv, StateFile state) {
        this.dc = dc;
        this.job = job;
        this.expanded = expanded;
        this.localArgv = localArgv;
        this.d = d;
        this.childEnv = childEnv;
        this.state = state;
        this.cpp = new JobCpp(dc, job, expanded, d, childEnv);
    }

    CompileResult run() throws InterruptedException {
        HostList hosts;
        try {
            hosts = HostListSource.load(dc.env, dc.jobId);
        } catch (HostListException e) {
            dc.log.log(e.empty() ? WARNING : ERROR, e.getMessage());
            if (!dc.env.fallback()) {
                dc.log.log(ERROR, "failed to distribute " + d.input() + " and fallbacks are disabled");
                return new CompileResult(ExitCodes.NO_HOSTS, CompileResult.Where.NOT_RUN, "");
            }
            return local(HostList.DEFAULT_LOCAL_SLOTS, CompileResult.Where.FALLBACK);
        }
        try {
            return attempts(hosts);
        } catch (Preprocessor.Failed f) {
            dc.log.log(ERROR, "compile " + d.input() + " on localhost failed");
            return new CompileResult(f.exitCode, CompileResult.Where.LOCAL, "localhost");
        } catch (IOException e) {
            dc.log.log(ERROR, "failed to prepare " + d.input() + ": " + e.getMessage());
            return new CompileResult(ExitCodes.IO_ERROR, CompileResult.Where.NOT_RUN, "");
        } finally {
            cpp.close();
        }
    }

    private CompileResult local(int pool, CompileResult.Where where) throws InterruptedException {
        return new CompileResult(dc.runLocal(job, localArgv, childEnv, d.input(), pool, state), where, "localhost");
    }

    private CompileResult attempts(HostList hosts) throws InterruptedException, Preprocessor.Failed, IOException {
        List<String> remoteArgv = RemoteArgs.forServer(dc.rewrite(d.argv(), job.path()));
        int maxTries = dc.backoff.enabled() ? hosts.hosts().size() + 2 : 3;
        HostSpec.Remote last = null;
        RemoteFailure failure = null;
        for (int tries = 0; tries < maxTries; tries++) {
            List<HostSpec> usable = dc.backoff.usable(upHosts(hosts), Instant.now());
            if (usable.isEmpty()) {
                break;
            }
            String source = job.cwd().resolve(d.input()).normalize().toString();
            Placement.Pending pending = () -> { };
            if (dc.placement.preprocessFirst() && !cpp.started()) {
                pending = dc.placement.announce(source);
                state.where(d.input(), "localhost", 0);
                state.phase(StateFile.Phase.CPP);
                try {
                    cpp.start(hosts, state);
                    cpp.file();   // its size is what placement needs; the bytes are read only if they must be compressed
                } catch (Throwable e) {
                    pending.close();
                    throw e;
                }
            }
            Response r;
            HostSpec.Remote host;
            try (Placement.Pending announced = pending;
                 SlotLocks.Lease lease = dc.placement.acquire(new Placement.Job(d.input(), cpp.bytes(), dc.env.fallback(),
                    toolchainDigest(usable, remoteArgv.getFirst()), source), usable,
                    dc.locks, state)) {
                if (!(lease.host() instanceof HostSpec.Remote remote)) {
                    return localHere(lease);
                }
                host = remote;
                last = host;
                r = attempt(hosts, host, lease, remoteArgv);
            } catch (RemoteFailure f) {
                failure = f;
                dc.log.log(INFO, "failed to compile " + d.input() + " on " + last.spec() + ": " + f.getMessage());
                markQuietly(last);
                continue;
            }
            return accept(hosts, host, r);
        }
        String reason = failure != null ? failure.getMessage()
                : last == null ? "every host is down or in backoff (DISTCC_BACKOFF_PERIOD)" : null;
        int code = failure != null && !dc.backoff.enabled() ? failure.exitCode() : ExitCodes.NO_HOSTS;
        return fallback(hosts, last, reason, null, code);
    }

    /** The placement chose this machine: compile under the localhost slot it took. */
    private CompileResult localHere(SlotLocks.Lease lease) throws InterruptedException {
        long t0 = System.nanoTime();
        int code = dc.runLocalHeld(job, localArgv, childEnv, d.input(), lease.slot(), state);
        dc.placement.finished(new Placement.Outcome(lease.host(), cpp.bytes(), System.nanoTime() - t0,
                Placement.Kind.LOCAL));
        return new CompileResult(code, CompileResult.Where.LOCAL, "localhost");
    }

    /** One remote try under a held slot; the placement hears how it went. */
    private Response attempt(HostList hosts, HostSpec.Remote host, SlotLocks.Lease lease, List<String> remoteArgv)
            throws RemoteFailure, Preprocessor.Failed, IOException, InterruptedException {
        state.where(d.input(), host.host(), lease.slot());
        state.phase(StateFile.Phase.CONNECT);
        long t0 = System.nanoTime();
        try {
            cpp.start(hosts, state);
            Response r = exchange(host, cpp.serverArgv(remoteArgv));
            dc.placement.finished(new Placement.Outcome(host, cpp.bytes(), System.nanoTime() - t0,
                    Placement.Kind.COMPILED));
            return r;
        } catch (RemoteFailure f) {
            dc.placement.finished(new Placement.Outcome(host, cpp.bytes(), System.nanoTime() - t0,
                    Placement.Kind.FAILED));
            throw f;
        }
    }

    private static List<HostSpec> upHosts(HostList hosts) {
        List<HostSpec> up = new ArrayList<>(hosts.hosts().size());
        for (HostSpec h : hosts.hosts()) {
            if (!(h instanceof HostSpec.Remote r && r.options().down())) {
                up.add(h);
            }
        }
        return up;
    }

    /** The placement's stall bound for one host, once the input size is known. */
    private final class StallBound implements RemoteCompile.ReplyTimeout {
        private final HostSpec.Remote host;

        StallBound(HostSpec.Remote host) {
            this.host = host;
        }

        @Override
        public Duration forInput(long bytes) {
            return dc.placement.replyTimeout(host, bytes, dc.env.ioTimeout());
        }
    }

    private Response exchange(HostSpec.Remote host, List<String> argv)
            throws RemoteFailure, Preprocessor.Failed, InterruptedException {
        RequestHeader.ToolchainRef tool = host.options().lz4() ? toolchain(argv.getFirst()) : null;
        if (tool != null) {
            try {
                return exchange(host, WireVersion.extension(WireVersion.FEATURE_LZ4 | WireVersion.FEATURE_TOOLCHAIN),
                        tool, argv);
            } catch (RemoteFailure.NoAnswer refused) {
                // A jdistcc peer that cannot run that toolchain (no --hub, or not this hub's) refuses the job: ask
                // again by compiler name, as to any ,lz4 host, before counting the host as failed.
                dc.log.log(INFO, host.spec() + " refused toolchain " + tool.digest().substring(0, 12) + " for "
                        + d.input() + "; asking by compiler name");
            }
        }
        return exchange(host, host.version(), null, argv);
    }

    private Response exchange(HostSpec.Remote host, WireVersion version, RequestHeader.ToolchainRef tool,
                              List<String> argv) throws RemoteFailure, Preprocessor.Failed, InterruptedException {
        RemoteCompile.ReplyTimeout bound = dc.placement instanceof Placement.LockOrder ? null : new StallBound(host);
        try (Transport.Connection c = dc.transport.open(host, dc.env.ioTimeout())) {
            return RemoteCompile.run(c, version, tool, argv, cpp, state, bound);
        } catch (IOException closing) {
            throw new RemoteFailure.Io("failed to close the connection: " + closing.getMessage(), false, closing);
        }
    }

    /**
     * The digest this job names to jdistcc peers, if any usable host may be one: a {@code ,lz4} entry, or any
     * TCP entry when a resident placement decides (it knows the registered jdistcc volunteers); else null.
     */
    private String toolchainDigest(List<HostSpec> usable, String compiler) {
        boolean resident = !(dc.placement instanceof Placement.LockOrder);
        for (HostSpec h : usable) {
            if (h instanceof HostSpec.Remote r && (r.options().lz4() || resident && r instanceof HostSpec.Tcp)) {
                RequestHeader.ToolchainRef t = lookupToolchain(compiler);
                return t == null ? null : t.digest();
            }
        }
        return null;
    }

    private RequestHeader.ToolchainRef toolchain(String compiler) {
        RequestHeader.ToolchainRef t = lookupToolchain(compiler);
        if (t != null && !toolchainLogged) {
            toolchainLogged = true;
            dc.log.log(INFO, compiler + " is toolchain " + t.digest().substring(0, 12) + " (source " + t.source() + ")");
        }
        return t;
    }

    /** The packaged toolchain of the job's compiler, looked up once; silent (placement asks it too). */
    private RequestHeader.ToolchainRef lookupToolchain(String compiler) {
        if (!toolchainAsked) {
            toolchainAsked = true;
            toolchainRef = dc.toolchains.forCompiler(compiler, Distcc.resolve(job, localArgv.getFirst()));
        }
        return toolchainRef;
    }

    /** A wait status came back: success, a compile error, or a compiler killed by a signal. */
    private CompileResult accept(HostList hosts, HostSpec.Remote host, Response r) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            // The job was cancelled (a resident process's launcher went away): leave the output alone.
            throw new InterruptedException("cancelled before writing " + d.output());
        }
        dc.write(job, r.stdout(), false);
        if (r.status() == 0) {
            try {
                OutputFiles.write(job.cwd().resolve(d.output()), r.object(), job.umask());
            } catch (IOException e) {
                dc.write(job, r.stderr(), true);
                dc.log.log(ERROR, "failed to write " + d.output() + ": " + e.getMessage());
                return new CompileResult(ExitCodes.IO_ERROR, CompileResult.Where.REMOTE, host.spec());
            }
            dc.write(job, r.stderr(), true);
            clearQuietly(host);
            dc.log.log(INFO, "compile " + d.input() + " on " + host.spec() + " completed ok");
            return new CompileResult(0, CompileResult.Where.REMOTE, host.spec());
        }
        if (r.signal() != 0) {
            markQuietly(host);
            return fallback(hosts, host, "remote compiler was killed by signal " + r.signal(), r.stderr(),
                    128 + r.signal());
        }
        int code = r.exitCode();
        dc.log.log(ERROR, "compile " + d.input() + " on " + host.spec() + " failed");
        if (dc.env.skipLocalRetry()) {
            dc.write(job, r.stderr(), true);
            return new CompileResult(code, CompileResult.Where.REMOTE, host.spec());
        }
        dc.log.log(WARNING, "dcc_build_somewhere", "remote compilation of '" + d.input() + "' failed, retrying locally");
        if (!dc.env.fallback()) {
            dc.log.log(ERROR, "dcc_build_somewhere", "failed to distribute and fallbacks are disabled");
            dc.write(job, r.stderr(), true);
            return new CompileResult(code, CompileResult.Where.REMOTE, host.spec());
        }
        dc.log.log(WARNING, "failed to distribute " + d.input() + " to " + host.spec()
                + ", running locally instead");
        int local = dc.runLocal(job, localArgv, childEnv, d.input(), hosts.localSlots(), state);
        if (local != code && local != LocalRunner.UNKNOWN_EXIT) {
            // Only now is the server suspect: the same command behaved differently here (#74, #604).
            dc.log.log(WARNING, "remote compilation of '" + d.input() + "' failed, retried locally and got a different result");
            markQuietly(host);
        }
        return new CompileResult(local, CompileResult.Where.FALLBACK, "localhost");
    }

    private CompileResult fallback(HostList hosts, HostSpec.Remote host, String reason, byte[] serr, int code)
            throws InterruptedException {
        String what = d.input() + (host == null ? "" : " to " + host.spec());
        String why = reason == null ? "" : " (" + reason + ")";
        if (!dc.env.fallback()) {
            if (serr != null) {
                dc.write(job, serr, true);
            }
            dc.log.log(ERROR, "failed to distribute " + what + " and fallbacks are disabled" + why);
            return new CompileResult(code, CompileResult.Where.NOT_RUN, "");
        }
        dc.log.log(WARNING, "failed to distribute " + what + ", running locally instead" + why);
        return local(hosts.localSlots(), CompileResult.Where.FALLBACK);
    }

    private void markQuietly(HostSpec.Remote host) {
        try {
            dc.backoff.mark(host);
        } catch (IOException e) {
            dc.log.log(INFO, "failed to mark " + host.spec() + " for backoff: " + e.getMessage());
        }
    }

    private void clearQuietly(HostSpec.Remote host) {
        try {
            dc.backoff.clear(host);
        } catch (IOException e) {
            dc.log.log(INFO, "failed to clear backoff of " + host.spec() + ": " + e.getMessage());
        }
    }
}
