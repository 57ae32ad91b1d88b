package dev.jdistcc.client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code distcc} command: the only class that prints or exits. A launcher passes the name it was invoked
 * as in the system property {@code jdistcc.argv0} (e.g. {@code -Djdistcc.argv0="$0"}), which selects
 * masquerade mode when that name does not contain "distcc". The compile path does not touch picocli.
 */
public final class DistccMain {
    public static final String ARGV0_PROPERTY = "jdistcc.argv0";

    private DistccMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getProperty(ARGV0_PROPERTY, "distcc"), Arrays.asList(args), System.getenv(),
                System.out, System.err));
    }

    static int run(String argv0, List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        ClientEnv env;
        try {
            env = ClientEnv.from(environment);
        } catch (ClientEnv.BadSetting e) {
            err.println("distcc[" + ProcessHandle.current().pid() + "] ERROR: " + e.getMessage());
            return ExitCodes.BAD_ARGUMENTS;
        }
        LogRenderer log = LogRenderer.create(env, err);
        String name = FileNames.basename(argv0);
        String path = environment.get("PATH");
        List<String> argv;
        boolean trimmed = false;
        if (name.contains("distcc")) {
            if (args.isEmpty()) {
                err.println(argv0 + ": missing option/operand");
                err.println("Try `" + argv0 + " --help' for more information.");
                return ExitCodes.BAD_ARGUMENTS;
            }
            if (isOwnOption(args.getFirst())) {
                return ownOption(env, log, args, out, err);
            }
            argv = new ArrayList<>(args.size() + 1);
            if (implicitCompiler(args.getFirst())) {
                argv.add("cc");
            }
            argv.addAll(args);
        } else {
            String newPath = Masquerade.trimPath(argv0, path);
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
        Thread killer = new Thread(new KillChildren());
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            CompileJob job = new CompileJob(argv, Path.of("").toAbsolutePath(), path, null);
            return new Distcc(env, log, Transport.standard(env)).compile(job).exitCode();
        } catch (InterruptedException e) {
            return ExitCodes.DISTCC_FAILED;
        } finally {
            Runtime.getRuntime().removeShutdownHook(killer);
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
        return first.startsWith("-") || FileNames.isSource(first) || first.endsWith(".o");
    }

    private static int ownOption(ClientEnv env, LogRenderer log, List<String> args, PrintStream out, PrintStream err) {
        picocli.CommandLine cl = new picocli.CommandLine(new DistccCommand(env, log));
        cl.setStopAtPositional(true);
        cl.setUnmatchedArgumentsAllowed(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args.toArray(String[]::new));
    }
}
