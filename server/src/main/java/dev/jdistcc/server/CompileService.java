package dev.jdistcc.server;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.Response;
import dev.jdistcc.protocol.SourceInput;
import dev.jdistcc.protocol.SourceNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The core of distccd: a request in, a response out (reference §3.5). Adapters (TCP, inetd) read the
 * header, call {@link #prepare}, read the input, call {@link #run} and write the response; a
 * {@link JobRefused} from either means "close the connection without a byte".
 */
public final class CompileService {

    /**
     * @param tmpDir      where job directories are made ($TMPDIR)
     * @param jobLifetime --job-lifetime, or null for no limit
     * @param saveTemps   DISTCC_SAVE_TEMPS=1: keep job directories
     */
    public record Settings(Path tmpDir, Duration jobLifetime, boolean saveTemps) {
    }

    private final Settings settings;
    private final CompilerResolver resolver;
    private final CompilerRunner runner;
    private final ProcessPolicy policy;

    public CompileService(Settings settings, CompilerResolver resolver, ProcessPolicy policy,
                          java.util.Map<String, String> environment) {
        this.settings = settings;
        this.resolver = resolver;
        this.policy = policy;
        this.runner = new CompilerRunner(policy, environment);
    }

    /** Vets a header: distcc's argument scan, the forbidden options, the compiler. */
    public PreparedJob prepare(RequestHeader header, ServerLog log) throws JobRefused {
        ArgScan scan = ArgScan.scan(header.argv());
        log.info(null, "compile from " + SourceNames.basename(scan.input()) + " to " + SourceNames.basename(scan.output()));
        for (String a : header.argv().subList(1, header.argv().size())) {
            String why = forbidden(a);
            if (why != null) {
                throw new JobRefused(JobRefused.Kind.FORBIDDEN_OPTION, a + " refused: " + why);
            }
        }
        return new PreparedJob(header, scan, resolver.resolve(header, log));
    }

    /**
     * Options that make the compiler run or load code the client chooses. distccd 3.4 refuses -fplugin= and
     * -specs=; these are refused too: --specs= (gcc's other spelling), -wrapper (runs any program), -B (takes
     * compiler parts from a directory, which in protocol 3 the client fills, links included) and @file
     * (response files the compiler would expand on the server, from uploaded files; the 3.4 client expands
     * its own, so a stock client never sends one).
     */
    static String forbidden(String arg) {
        if (arg.startsWith("-fplugin=") || arg.startsWith("-specs=") || arg.startsWith("--specs=")) {
            return "loads code into the compiler";
        }
        if (arg.equals("-wrapper")) {
            return "runs another program";
        }
        if (arg.startsWith("-B")) {
            return "takes compiler programs from another directory";
        }
        if (arg.startsWith("@")) {
            return "response files are expanded by the client";
        }
        return null;
    }

    /**
     * Compiles a prepared job's input; the job directories are always removed (unless saveTemps). The caller
     * closes the {@link PreparedJob} afterwards (and also when it never gets here).
     */
    public JobOutcome run(PreparedJob job, SourceInput input, CompletableFuture<Void> clientGone, JobLog log)
            throws JobRefused, IOException, InterruptedException {
        Path scratch = TempDirs.create(settings.tmpDir(), "distccd_");
        Path root = null;
        try {
            Files.createDirectory(scratch.resolve("tmp"));
            // "$TMPDIR/distccd_XXXXXX/o.o" has the length of distccd's "$TMPDIR/distccd_XXXXXXXX.o": gcc wraps
            // .d lines by length, so protocol-3 .d files then come out byte-identical to a stock server's.
            Path object = scratch.resolve("o.o");
            Path deps = scratch.resolve("deps.d");
            JobDirs dirs;
            List<String> args;
            String dotdTarget = null;
            if (input instanceof SourceInput.FileTree tree) {
                root = TempDirs.create(settings.tmpDir(), "distccd_");
                Path cwd = job.header.cwd().equals("/") ? root : PumpTree.under(root, job.header.cwd());
                Files.createDirectories(cwd);
                PumpTree.materialize(root, tree);
                PumpArgs pa = PumpArgs.rewrite(job.scan, root.toString(), object.toString(), deps.toString());
                args = pa.argv();
                dotdTarget = pa.dotdTarget();
                dirs = new JobDirs(scratch, cwd, root);
            } else {
                byte[] source = ((SourceInput.Preprocessed) input).source();
                InputPlacement p = InputPlacement.place(job.scan, source, scratch);
                args = new ArrayList<>(job.scan.withInputAndOutput(p.argument(), object.toString()));
                args.addAll(p.extraArgs());
                dirs = new JobDirs(scratch, p.workDir(), null);
            }
            policy.chown(scratch);
            if (root != null) {
                policy.chown(root);
            }
            job.launch.sandbox().prepare(dirs);
            return compile(job, args, dirs, object, deps, dotdTarget, clientGone, log);
        } finally {
            if (!settings.saveTemps()) {
                TempDirs.deleteTree(scratch);
                TempDirs.deleteTree(root);
            }
        }
    }

    private JobOutcome compile(PreparedJob job, List<String> args, JobDirs dirs, Path object, Path deps,
                               String dotdTarget, CompletableFuture<Void> clientGone, JobLog log)
            throws IOException, InterruptedException {
        Path err = dirs.jobDir().resolve("stderr");
        Path out = dirs.jobDir().resolve("stdout");
        Files.write(err, new byte[0]);
        Files.write(out, new byte[0]);
        int before = log.mark();
        CompilerRunner.Outcome outcome;
        if (job.launch.executable().isEmpty()) {
            log.error("dcc_execvp", "failed to exec " + job.launch.name() + ": No such file or directory");
            outcome = new CompilerRunner.Outcome(CompilerRunner.Ending.EXITED, CompilerRunner.EXIT_COMPILER_MISSING << 8);
        } else {
            List<String> command = new ArrayList<>();
            command.add(job.launch.executable().get().toString());
            command.addAll(args.subList(1, args.size()));
            command = job.launch.sandbox().wrap(command, dirs);
            outcome = runner.run(command, !job.launch.sandboxDropsPrivileges(), job.launch.environment(), dirs, out,
                    err, deadline(job.launch), clientGone, log);
        }
        int afterStart = log.mark();
        critique(job, outcome.status(), log);
        ByteArrayOutputStream serr = new ByteArrayOutputStream();
        serr.writeBytes(log.copied(0, before));
        serr.writeBytes(readPlain(err));
        serr.writeBytes(log.copied(before, Math.max(afterStart, log.mark())));
        byte[] sout = readPlain(out);
        WireResult wire = outcome.status() == 0 && outcome.ending() == CompilerRunner.Ending.EXITED
                ? success(job, dirs, object, deps, dotdTarget) : new WireResult(null, null);
        Response response = new Response(job.header.version(), outcome.status(), serr.toByteArray(), sout,
                wire.object(), wire.dotd());
        return new JobOutcome(response, resultOf(outcome));
    }

    private Duration deadline(CompilerLaunch launch) {
        Duration a = settings.jobLifetime();
        Duration b = launch.deadline();
        return a == null ? b : b == null ? a : (a.compareTo(b) <= 0 ? a : b);
    }

    private record WireResult(byte[] object, byte[] dotd) {
    }

    private static WireResult success(PreparedJob job, JobDirs dirs, Path object, Path deps, String dotdTarget)
            throws IOException {
        byte[] obj = readPlain(object);
        if (dirs.root() == null) {
            return new WireResult(obj, null);
        }
        String root = dirs.root().toString();
        DebugInfoFix.fix(obj, root);
        byte[] dotd = new byte[0];
        if (Files.exists(deps, LinkOption.NOFOLLOW_LINKS)) {
            String d = new String(readPlain(deps), StandardCharsets.UTF_8);
            dotd = DotdFix.fix(d, root, dotdTarget, object.toString()).getBytes(StandardCharsets.UTF_8);
        }
        return new WireResult(obj, dotd);
    }

    private static JobResult resultOf(CompilerRunner.Outcome o) {
        return switch (o.ending()) {
            case TIMED_OUT -> JobResult.COMPILE_TIMEOUT;
            case CLIENT_GONE -> JobResult.CLI_DISCONN;
            case EXITED, NOT_STARTED -> o.status() == 0 ? JobResult.COMPILE_OK : JobResult.COMPILE_ERROR;
        };
    }

    /** distcc's dcc_critique_status, at info level as on the server. */
    private static void critique(PreparedJob job, int status, ServerLog log) {
        String what = job.launch.name() + " " + job.scan.input() + " on localhost";
        int sig = status & 0x7f;
        int code = (status >> 8) & 0xff;
        if (sig != 0) {
            log.info(null, what + ": terminated by signal " + sig + ((status & 0x80) != 0 ? " (core dumped)" : ""));
        } else if (code == 1) {
            log.info(null, what + " failed");
        } else if (code != 0) {
            log.info(null, what + " failed with exit code " + code);
        } else {
            log.info(null, what + " completed ok");
        }
    }

    /** Reads a file the compiler wrote, refusing to follow a symlink it may have put there. */
    private static byte[] readPlain(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new IOException("the compiler exited 0 but wrote no " + p.getFileName(), e);
        }
    }
}
