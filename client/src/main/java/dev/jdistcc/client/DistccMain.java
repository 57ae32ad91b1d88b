package dev.jdistcc.client;

import dev.jdistcc.protocol.SourceNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code distcc} command: masquerade/explicit/implicit mode, distcc's own options and the recursion guard,
 * then the compile path. A launcher passes the name it was invoked as in the system property
 * {@code jdistcc.argv0} (e.g. {@code -Djdistcc.argv0="$0"}), which selects masquerade mode when that name does
 * not contain "distcc". {@link #run(Invocation, PrintStream, PrintStream, Invocation.Hooks)} takes everything
 * as parameters, so a resident process runs the same logic for each launcher's argv, environment and
 * directory; only {@link #main} touches the process's own. The compile path does not touch picocli.
 */
public final class DistccMain {
    public static final String ARGV0_PROPERTY = "jdistcc.argv0";

    private DistccMain() {
    }

    public static void main(String[] args) {
        Invocation inv = new Invocation(System.getProperty(ARGV0_PROPERTY, "distcc"), Arrays.asList(args),
                System.getenv(), Path.of("").toAbsolutePath(), ProcessHandle.current().pid(), CompileJob.INHERIT, null);
        Thread killer = new Thread(new KillChildren());
        Runtime.getRuntime().addShutdownHook(killer);
        int code = run(inv, System.out, System.err, Invocation.Hooks.NONE);
        Runtime.getRuntime().removeShutdownHook(killer);
        System.exit(code);
    }

    static int run(String argv0, List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Invocation inv = new Invocation(argv0, args, environment, Path.of("").toAbsolutePath(),
                ProcessHandle.current().pid(), CompileJob.INHERIT, null);
        return run(inv, out, err, Invocation.Hooks.NONE);
    }

    /**
     * Runs one invocation. {@code out} and {@code err} receive distcc's own output and log lines; compiler
     * output goes to {@link Invocation#stdio()}. Returns the exit code; never exits.
     */
    public static int run(Invocation inv, PrintStream out, PrintStream err, Invocation.Hooks hooks) {
        ClientEnv env;
        try {
            env = ClientEnv.from(inv.environment(), inv.cwd());
        } catch (ClientEnv.BadSetting e) {
            err.println("distcc[" + inv.pid() + "] ERROR: " + e.getMessage());
            return ExitCodes.BAD_ARGUMENTS;
        }
        try (LogRenderer log = LogRenderer.create(env, err, inv.pid())) {
            return run(inv, env, log, out, err, hooks);
        }
    }

    private static int run(Invocation inv, ClientEnv env, LogRenderer log, PrintStream out, PrintStream err,
                           Invocation.Hooks hooks) {
        String argv0 = inv.argv0();
        List<String> args = inv.args();
        String name = SourceNames.basename(argv0);
        String path = inv.environment().get("PATH");
        List<String> argv;
        boolean trimmed = false;
        if (name.contains("distcc")) {
            if (args.isEmpty()) {
                err.println(argv0 + ": missing option/operand");
                err.println("Try `" + argv0 + " --help' for more information.");
                return ExitCodes.BAD_ARGUMENTS;
            }
            if (isOwnOption(args.getFirst())) {
                return ownOption(env, log, inv.pid(), args, out, err);
            }
            argv = new ArrayList<>(args.size() + 1);
            if (implicitCompiler(args.getFirst())) {
                argv.add("cc");
            }
            argv.addAll(args);
        } else {
            String newPath = Masquerade.trimPath(argv0, path, inv.cwd());
            trimmed = newPath != null;
            path = trimmed ? newPath : path;
            argv = new ArrayList<>(args.size() + 1);
            argv.add(name);
            argv.addAll(args);
        }
        if (env.safeguardLevel() - (trimmed ? 1 : 0) > 0) {
            log.critical("main", "distcc seems to have invoked itself recursively!");
            return ExitCodes.RECURSION;
        }
        Distcc distcc = new Distcc(env, log, Transport.standard(env)).withJobId(inv.pid());
        if (hooks.placement() != null) {
            distcc = distcc.withPlacement(hooks.placement());
        }
        if (hooks.localRunner() != null) {
            distcc = distcc.withLocalRunner(hooks.localRunner());
        }
        if (hooks.toolchains() != null) {
            distcc = distcc.withToolchains(hooks.toolchains());
        }
        try {
            return distcc.compile(new CompileJob(argv, inv.cwd(), path, inv.stdio(), inv.umask())).exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.DISTCC_FAILED;
        }
    }

    /** distcc's own options; checked here so that the compile path never loads picocli. */
    static boolean isOwnOption(String first) {
        return switch (first) {
            case "--help", "--version", "--show-hosts", "-j", "--scan-includes" -> true;
            default -> false;
        };
    }

    /** Shutdown hook body (a class, not a lambda: no method-handle bootstrap on the per-job path). */
    private static final class KillChildren implements Runnable {
        @Override
        public void run() {
            ChildProcess.destroyAll();
        }
    }

    /** {@code distcc -c x.c}, {@code distcc x.c …}, {@code distcc x.o …}: the compiler is "cc" (reference §2.1). */
    static boolean implicitCompiler(String first) {
        return first.startsWith("-") || SourceNames.isSource(first) || first.endsWith(".o");
    }

    private static int ownOption(ClientEnv env, LogRenderer log, long pid, List<String> args, PrintStream out,
                                 PrintStream err) {
        picocli.CommandLine cl = new picocli.CommandLine(new DistccCommand(env, log, pid));
        cl.setStopAtPositional(true);
        cl.setUnmatchedArgumentsAllowed(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args.toArray(String[]::new));
    }
}
