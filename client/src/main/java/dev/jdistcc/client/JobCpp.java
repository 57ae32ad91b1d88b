package dev.jdistcc.client;

import static java.lang.System.Logger.Level.INFO;

import dev.jdistcc.protocol.SourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One job's local preprocessing for {@link RemoteJob}: started once (full or partial cpp, under a localhost
 * cpp slot), its output awaited by whichever attempt needs it first, its size known from then on. Closing it
 * frees the slot and the output.
 */
final class JobCpp implements RemoteCompile.Input, AutoCloseable {
    private final Distcc dc;
    private final CompileJob job;
    private final List<String> expanded;
    private final ScanResult.Distributable d;
    private final Map<String, String> childEnv;
    private Preprocessor cpp;
    private SlotLocks.Lease lease;
    private long bytes = -1;
    private String kind;

    JobCpp(Distcc dc, CompileJob job, List<String> expanded, ScanResult.Distributable d, Map<String, String> childEnv) {
        this.dc = dc;
        this.job = job;
        this.expanded = expanded;
        this.d = d;
        this.childEnv = childEnv;
    }

    boolean started() {
        return cpp != null;
    }

    /** The preprocessed input's size; -1 until cpp has finished. */
    long bytes() {
        return bytes;
    }

    /** Starts cpp unless it has started already (an existing .i/.ii file is its own output). */
    void start(HostList hosts, StateFile state) throws IOException, InterruptedException {
        if (cpp != null) {
            return;
        }
        Path input = job.cwd().resolve(d.input());
        if (SourceNames.isPreprocessed(d.input())) {
            cpp = Preprocessor.existing(input);
            return;
        }
        List<String> cppArgv = dc.rewrite(RemoteArgs.forPreprocessor(expanded, d), job.path());
        Path exe = Distcc.resolve(job, cppArgv.getFirst());
        if (exe == null) {
            throw new IOException("cannot find " + cppArgv.getFirst() + " on PATH");
        }
        List<String> partialArgv = null;
        if (dc.localRunner.capturesPreprocessor() && PartialCpp.applies(dc.env.cpp(), cppArgv, d.input(), exe)) {
            kind = PartialCpp.kind(exe, job.cwd());
            boolean forced = dc.env.cpp() == PartialCpp.Mode.PARTIAL;
            if (PartialCpp.pays(dc.env.cpp(), kind) && (forced || !dc.placement.fullCppPays())) {
                partialArgv = PartialCpp.withOption(cppArgv);
            }
        }
        lease = dc.scheduler.acquireLocal(hosts.localSlotsCpp(), state);
        cpp = Preprocessor.run(dc.localRunner, job, exe, cppArgv, partialArgv, childEnv, dc.env.tmpDir(),
                SourceNames.preprocessedSuffix(d.input()), dc.env.saveTemps());
        if (cpp.fullBecause() != null) {
            dc.log.log(INFO, "partial cpp of " + d.input() + " replaced by a full one: " + cpp.fullBecause());
        }
        dc.write(job, cpp.diagnostics(), true);
    }

    /** The server's argv for this job: told that the input is partially preprocessed when it is. */
    List<String> serverArgv(List<String> remoteArgv) {
        return cpp != null && cpp.partial() ? PartialCpp.withOption(remoteArgv) : remoteArgv;
    }

    @Override
    public byte[] get() throws Preprocessor.Failed, IOException, InterruptedException {
        try {
            byte[] out = cpp.await();
            sized(out.length);
            return out;
        } finally {
            releaseSlot();
        }
    }

    @Override
    public Path file() throws Preprocessor.Failed, IOException, InterruptedException {
        try {
            Path out = cpp.awaitFile();
            sized(Files.size(out));
            return out;
        } finally {
            releaseSlot();
        }
    }

    /** The input's size is known: placement needs it, and partial cpp learns from it (once per job). */
    private void sized(long size) {
        if (bytes < 0 && kind != null) {
            PartialCpp.observed(kind, size);
        }
        bytes = size;
    }

    private void releaseSlot() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    @Override
    public void close() {
        releaseSlot();
        if (cpp != null) {
            cpp.close();
        }
    }
}
