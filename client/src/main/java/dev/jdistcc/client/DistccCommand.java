package dev.jdistcc.client;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * distcc's own options (reference §2.1), handled only when one of them is the first argument; compiler
 * arguments never pass through here. Exit codes follow stock: a broken host list still exits 0.
 */
@Command(name = "distcc", usageHelpAutoWidth = false)
final class DistccCommand implements Callable<Integer> {
    static final String VERSION_LINE_1 = "distcc 3.4 " + CompilerName.gnuHost() + " (jdistcc)";
    static final String VERSION_LINE_2 = "  (protocols 1, 2 and 3) (default port 3632)";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--help")
    boolean help;

    @Option(names = "--version")
    boolean version;

    @Option(names = "--show-hosts")
    boolean showHosts;

    @Option(names = "-j")
    boolean jobs;

    @Option(names = "--scan-includes")
    boolean scanIncludes;

    @CommandLine.Unmatched
    java.util.List<String> rest;

    private final ClientEnv env;
    private final LogRenderer log;
    private final long pid;

    DistccCommand(ClientEnv env, LogRenderer log, long pid) {
        this.env = env;
        this.log = log;
        this.pid = pid;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (help || version) {
            banner(out);
            if (help) {
                usage(out);
            }
            out.flush();
            return 0;
        }
        if (scanIncludes) {
            log.log(System.Logger.Level.ERROR, "--scan-includes needs pump mode and an include server, "
                    + "which this distcc does not run");
            return ExitCodes.DISTCC_FAILED;
        }
        HostList hosts;
        try {
            hosts = HostListSource.load(env, pid);
        } catch (HostListException e) {
            log.log(System.Logger.Level.ERROR, e.getMessage());
            log.critical(showHosts ? "dcc_show_hosts" : "dcc_concurrency_level", "Failed to get host list");
            return 0;
        }
        if (showHosts) {
            hosts.hosts().forEach(h -> out.println(h.spec()));
        } else {
            out.println(hosts.totalSlots());
        }
        out.flush();
        return 0;
    }

    private static void banner(PrintWriter out) {
        out.println(VERSION_LINE_1);
        out.println(VERSION_LINE_2);
        out.println("A Java rebuild of distcc 3.4, wire-compatible with distcc 3.4 peers.");
        out.println();
    }

    private static void usage(PrintWriter out) {
        out.println("""
                Usage:
                   distcc [COMPILER] [compile options] -o OBJECT -c SOURCE
                   distcc [--help|--version|--show-hosts|-j]

                Options:
                   COMPILER                   Defaults to "cc".
                   --help                     Explain usage, and exit.
                   --version                  Show version, and exit.
                   --show-hosts               Show host list, and exit.
                   -j                         Show the concurrency level, as calculated from
                                              the host list, and exit.
                   --scan-includes            Pump mode only; not supported (exit 100).

                Environment: DISTCC_HOSTS, DISTCC_DIR, DISTCC_VERBOSE, DISTCC_LOG, DISTCC_FALLBACK,
                DISTCC_SKIP_LOCAL_RETRY, DISTCC_BACKOFF_PERIOD, DISTCC_IO_TIMEOUT, DISTCC_SAVE_TEMPS,
                DISTCC_SSH, DISTCC_NO_REWRITE_CROSS, TMPDIR.
                Host options: localhost[/N], HOST[:PORT][/N][,lzo][,cpp][,lz4][,down],
                [IPV6]:PORT, [USER]@HOST[/N][:COMMAND], --randomize, --localslots=N, --localslots_cpp=N.""");
    }
}
