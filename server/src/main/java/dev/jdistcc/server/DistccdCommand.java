package dev.jdistcc.server;

import dev.jdistcc.server.volunteer.VolunteerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The distccd 3.4 command line (reference §3.1, §4). Parsing and validation only; {@link Daemon} does the
 * work. Exit codes are distcc's: 101 bad arguments, 102 bind failure, 110 no masquerade directory,
 * 112 cannot drop privileges.
 */
@Command(name = "distccd", sortOptions = false, usageHelpAutoWidth = false,
        description = {"Serves distcc compile jobs (wire-compatible with distccd 3.4, protocols 1, 2 and 3).",
                "Runs from inetd (or ssh) when stdin is a socket, else as a standalone daemon."})
public final class DistccdCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "explain usage and exit")
    boolean help;
    @Option(names = "--version", description = "show version and exit")
    boolean version;
    @Option(names = {"-P", "--pid-file"}, paramLabel = "FILE", description = "save daemon process id to file")
    Path pidFile;
    @Option(names = {"-N", "--nice"}, paramLabel = "LEVEL", description = "lower priority of compilers (default 5)")
    int nice = 5;
    @Option(names = "--user", paramLabel = "USER", description = "if run by root, run compilers as this user"
            + " (default distccd, else nobody)")
    String user;
    @Option(names = {"-j", "--jobs"}, paramLabel = "LIMIT", description = "maximum concurrent jobs (default: CPUs + 2)")
    Integer jobs;
    @Option(names = "--job-lifetime", paramLabel = "SECONDS", description = "kill a compile after this long")
    int jobLifetime;
    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on (default 3632)")
    int port = 3632;
    @Option(names = "--listen", paramLabel = "ADDRESS", description = "IP address to listen on")
    String listen;
    @Option(names = {"-a", "--allow"}, paramLabel = "IP[/BITS]", description = "client address access control"
            + " (repeatable; IPv4, IPv6 or host name)")
    List<String> allow = new ArrayList<>();
    @Option(names = "--allow-private", description = "allow private and loopback addresses (the default without --allow)")
    boolean allowPrivate;
    @Option(names = "--stats", description = "enable statistics reporting via HTTP server")
    boolean stats;
    @Option(names = "--stats-port", paramLabel = "PORT", description = "TCP port for statistics requests (default 3633)")
    int statsPort = 3633;
    @Option(names = "--zeroconf", description = "accepted for compatibility; mDNS registration is not supported")
    boolean zeroconf;
    @Option(names = {"--enable-tcp-insecure", "--make-me-a-botnet"},
            description = "run any compiler a client names (no masquerade allow-list)")
    boolean insecure;
    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "critical, error, warning, notice (default), info or debug")
    String logLevel;
    @Option(names = "--verbose", description = "set log level to debug")
    boolean verbose;
    @Option(names = "--no-detach", description = "don't detach from parent (systemd, daemontools)")
    boolean noDetach;
    @Option(names = "--log-file", paramLabel = "FILE", description = "send messages here instead of syslog")
    Path logFile;
    @Option(names = "--log-stderr", description = "send messages to stderr")
    boolean logStderr;
    @Option(names = {"-W", "--wizard"}, description = "--daemon --no-detach --log-stderr --verbose")
    boolean wizard;
    @Option(names = "--inetd", description = "serve the client connected to stdin")
    boolean inetd;
    @Option(names = "--daemon", description = "bind and listen on a socket")
    boolean daemon;
    @Option(names = "--no-fork", description = "accepted for compatibility; no effect")
    boolean noFork;
    @Option(names = "--no-fifo", description = "accepted for compatibility; no effect")
    boolean noFifo;
    @Option(names = "--lifetime", paramLabel = "SECONDS", description = "exit after this long (testing)")
    int lifetime;
    @Option(names = "--masquerade-dir", paramLabel = "DIR",
            description = "jdistcc: another compiler allow-list directory, besides /usr/lib/distcc (repeatable)")
    List<Path> masqueradeDirs = new ArrayList<>();
    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "jdistcc: once listening, write \"listening on ADDRESS:PORT\" to this file")
    Path readyFile;
    @Option(names = "--hub", paramLabel = "URL",
            description = "jdistcc: volunteer for this hub: fetch its toolchains, compile with them in a sandbox, register")
    String hub;
    @Option(names = "--trust", paramLabel = "ed25519:KEY", description = "jdistcc: the hub's public key (jdistcc-hub key)")
    String trust;
    @Option(names = "--trust-file", paramLabel = "FILE", description = "jdistcc: read the hub's public key from this file")
    Path trustFile;
    @Option(names = "--toolchain-cache", paramLabel = "DIR",
            description = "jdistcc: where fetched toolchains are kept (default /var/cache/jdistcc/toolchains as root)")
    Path toolchainCache;
    @Option(names = "--toolchain-cache-budget", paramLabel = "SIZE",
            description = "jdistcc: most space fetched toolchains may take, like 8G (default 8G)")
    String toolchainCacheBudget;
    @Option(names = "--advertise-address", paramLabel = "HOST",
            description = "jdistcc: address the hub gives clients for this volunteer (default: the one it sees)")
    String advertiseAddress;
    @Option(names = "--advertise-port", paramLabel = "PORT",
            description = "jdistcc: port the hub gives clients for this volunteer (default: --port)")
    Integer advertisePort;
    @Option(names = "--volunteer-id", paramLabel = "ID",
            description = "jdistcc: id to register under (default: made once and kept in the toolchain cache)")
    String volunteerId;
    @Option(names = Detacher.CHILD_FLAG, hidden = true)
    boolean detachedChild;
    @Parameters(hidden = true, description = "ignored, as distccd ignores leftover words")
    List<String> leftovers = new ArrayList<>();

    /** Built by {@link #validate()} when --hub is given. */
    VolunteerConfig volunteer;
    private final String[] rawArgs;
    private final PrintWriter out;
    private final PrintWriter err;

    DistccdCommand(String[] rawArgs, PrintWriter out, PrintWriter err) {
        this.rawArgs = rawArgs;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (version) {
            out.print(Banner.text());
            out.flush();
            return 0;
        }
        String bad = validate();
        if (bad != null) {
            err.println("distccd: ERROR: " + bad);
            err.flush();
            return StartupFailure.BAD_ARGUMENTS;
        }
        if (wizard) {
            daemon = noDetach = logStderr = verbose = true;
        }
        boolean inetdMode = inetd || (!daemon && Daemon.stdinIsSocket());
        if (!inetdMode && !noDetach && !detachedChild) {
            err.flush();
            return Detacher.launchAndWait(rawArgs, err);
        }
        try {
            return new Daemon(this, inetdMode, out, err).run();
        } catch (StartupFailure e) {
            err.println("distccd: " + Severity.ERROR.prefix() + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    /** The checks distccd makes while parsing (popt), giving exit 101. */
    private String validate() {
        if (port < 1 || port > 65535) {
            return "--port " + port + " is out of range (1-65535)";
        }
        if (stats && (statsPort < 1 || statsPort > 65535)) {
            return "--stats-port " + statsPort + " is out of range (1-65535)";
        }
        if (jobs != null && (jobs < 1 || jobs > 200)) {
            return "--jobs " + jobs + " is out of range (1-200)";
        }
        if (logLevel != null && Severity.fromName(logLevel) == null) {
            return "unknown --log-level '" + logLevel + "'";
        }
        if (lifetime < 0 || jobLifetime < 0) {
            return "--lifetime and --job-lifetime must not be negative";
        }
        if (inetd && daemon) {
            return "--inetd and --daemon are mutually exclusive";
        }
        try {
            AccessList.parse(allow);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return validateVolunteer();
    }

    /** The --hub family: all or nothing, a key that parses, sizes and ports in range. */
    private String validateVolunteer() {
        if (hub == null) {
            boolean stray = trust != null || trustFile != null || toolchainCache != null || toolchainCacheBudget != null
                    || advertiseAddress != null || advertisePort != null || volunteerId != null;
            return stray ? "--trust, --trust-file, --toolchain-cache*, --advertise-* and --volunteer-id need --hub" : null;
        }
        try {
            volunteer = VolunteerOptions.parse(this);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    Severity level() {
        if (verbose) {
            return Severity.DEBUG;
        }
        return logLevel == null ? Severity.NOTICE : Severity.fromName(logLevel);
    }

    /** picocli set up as distccd: usage to stdout with the banner, every parse error exit 101. */
    static CommandLine commandLine(DistccdCommand cmd) {
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(cmd.out);
        cl.setErr(cmd.err);
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setParameterExceptionHandler((ex, args) -> {
            cmd.err.println("distccd: ERROR: " + ex.getMessage());
            cmd.err.flush();
            return StartupFailure.BAD_ARGUMENTS;
        });
        cl.setExecutionStrategy(parseResult -> {
            if (parseResult.isUsageHelpRequested()) {
                cmd.out.print(Banner.text());
                cmd.out.println();
                cl.usage(cmd.out);
                cmd.out.flush();
                return 0;
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }
}
