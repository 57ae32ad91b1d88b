package dev.jdistcc.client.handoff;

import dev.jdistcc.client.CompileJob;
import dev.jdistcc.client.DistccMain;
import dev.jdistcc.client.Invocation;
import dev.jdistcc.client.LocalRunner;
import dev.jdistcc.client.Placement;
import dev.jdistcc.client.ToolchainNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resident compile path: each launcher's job goes through the very logic of the {@code distcc} command
 * ({@link DistccMain#run(Invocation, PrintStream, PrintStream, Invocation.Hooks)}) with the launcher's argv,
 * environment, directory, umask and pid. Distributable jobs run here with their output captured for the
 * launcher; every local run (jobs that must be local, fallbacks, localhost slots) is handed back to the
 * launcher, which runs it with its own stdin and terminal while the slot stays held here, and the launcher
 * runs each job's preprocessor.
 */
public final class ResidentJobs implements HandoffServer.JobRunner {
    private final Placement placement;
    private final ToolchainNames toolchains;

    /** @param placement how hosts are chosen for every job of this process; null for distcc's order */
    public ResidentJobs(Placement placement) {
        this(placement, null);
    }

    /** @param toolchains which packaged toolchain a job's compiler is (named to jdistcc peers); null: the index file */
    public ResidentJobs(Placement placement, ToolchainNames toolchains) {
        this.placement = placement;
        this.toolchains = toolchains;
    }

    @Override
    public int run(HandoffRequest req, HandoffServer.Session session) throws IOException {
        if (req.cwd().isEmpty()) {
            throw new IOException("the launcher could not name its working directory");
        }
        PrintStream out = new PrintStream(session.out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(session.err(), true, StandardCharsets.UTF_8);
        Invocation inv = new Invocation(req.argv0(), req.argv().subList(1, req.argv().size()), req.env(),
                Path.of(req.cwd()), req.pid(), req.umask(), new CompileJob.Stdio(session.out(), session.err()));
        int code = DistccMain.run(inv, out, err, new Invocation.Hooks(placement, new HandBack(session, req.env()),
                toolchains));
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Local runs are run by the launcher with its stdio, and so are the preprocessors (a child of a small C
     * process costs far less than one of a JVM); only the environment settings that differ from its own are
     * sent.
     */
    private record HandBack(HandoffServer.Session session, Map<String, String> launcherEnv) implements LocalRunner {
        @Override
        public int run(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv)
                throws IOException, InterruptedException {
            return session.runLocally(changed(childEnv), argv);
        }

        @Override
        public boolean runsPreprocessor() {
            return true;
        }

        @Override
        public int preprocess(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv, Path output)
                throws IOException, InterruptedException {
            return session.preprocess(changed(childEnv), argv, output);
        }

        @Override
        public boolean capturesPreprocessor() {
            return session.capturesPreprocessor();
        }

        @Override
        public CapturedCpp preprocessCaptured(CompileJob job, Path exe, List<String> argv, Map<String, String> childEnv,
                                              Path output) throws IOException, InterruptedException {
            return session.preprocessCaptured(changed(childEnv), argv, output);
        }

        private Map<String, String> changed(Map<String, String> childEnv) {
            Map<String, String> changed = new HashMap<>();
            for (Map.Entry<String, String> e : childEnv.entrySet()) {
                if (!e.getValue().equals(launcherEnv.get(e.getKey()))) {
                    changed.put(e.getKey(), e.getValue());
                }
            }
            return changed;
        }
    }
}
