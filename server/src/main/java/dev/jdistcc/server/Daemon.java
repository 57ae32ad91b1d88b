package dev.jdistcc.server;

import dev.jdistcc.fetcher.SandboxPolicy;
import dev.jdistcc.protocol.Limits;
import dev.jdistcc.server.volunteer.Volunteer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** distccd's start-up sequence (reference §3.2) and its two modes, for a parsed {@link DistccdCommand}. */
final class Daemon {
    /** distcc's $libdir/distcc; the system property stands in for distcc's build-time LIBDIR (tests use it). */
    private static final Path DEFAULT_MASQUERADE_DIR = Path.of(System.getProperty("jdistcc.libdir", "/usr/lib"), "distcc");

    private final DistccdCommand opt;
    private final boolean inetdMode;
    private final java.io.PrintWriter out;
    private final java.io.PrintWriter err;
    private final Map<String, String> env = System.getenv();
    private volatile PidFile pidFile;
    private ServerLog log = ServerLog.DISCARD;
    private Volunteer volunteer;

    /** @param out the launcher's stdout (readiness line only); @param err where start-up problems are shown */
    Daemon(DistccdCommand opt, boolean inetdMode, java.io.PrintWriter out, java.io.PrintWriter err) {
        this.opt = opt;
        this.inetdMode = inetdMode;
        this.out = out;
        this.err = err;
    }

    static boolean stdinIsSocket() {
        try {
            return System.inheritedChannel() instanceof SocketChannel;
        } catch (IOException e) {
            return false;
        }
    }

    int run() throws StartupFailure, InterruptedException {
        log = openLog();
        AccessList acl = accessList();
        Path tmp = tmpDir();
        Map<String, String> compilerEnv = new HashMap<>(env);
        String daemonPath = env.get("DISTCCD_PATH");
        if (daemonPath != null) {
            compilerEnv.put("PATH", daemonPath);
        } else {
            log.info("dcc_setup_daemon_path", "daemon's PATH is " + env.getOrDefault("PATH", ""));
        }
        Duration ioTimeout = ioTimeout();
        ProcessPolicy policy = processPolicy();
        volunteer = opt.volunteer == null ? null : openVolunteer(policy);
        CompileService service = new CompileService(
                new CompileService.Settings(tmp, opt.jobLifetime > 0 ? Duration.ofSeconds(opt.jobLifetime) : null,
                        "1".equals(env.get("DISTCC_SAVE_TEMPS"))),
                resolver(compilerEnv.getOrDefault("PATH", "")), policy, compilerEnv);
        Stats stats = new Stats();
        ConnectionHandler handler = new ConnectionHandler(service, acl, stats, log, Limits.DEFAULT, ioTimeout);
        return inetdMode ? serveInetd(handler) : serveStandalone(handler, acl, stats, tmp);
    }

    /**
     * --hub: the toolchain cache and what an earlier run saved. Fetched compilers run as the daemon's compiler
     * user too, so job directories (handed to that user) and the sandbox agree.
     */
    private Volunteer openVolunteer(ProcessPolicy policy) throws StartupFailure {
        SandboxPolicy d = SandboxPolicy.DEFAULT;
        SandboxPolicy sp = policy.dropsPrivileges() ? new SandboxPolicy(policy.uid(), policy.gid(), d.memoryBytes(),
                d.cpuSeconds(), d.fileSizeBytes(), d.maxProcesses(), d.wallTimeout()) : d;
        try {
            return Volunteer.open(opt.volunteer, sp, log);
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure(StartupFailure.IO_ERROR, "cannot use the toolchain cache "
                    + opt.volunteer.cacheDir() + ": " + e.getMessage());
        }
    }

    private int serveInetd(ConnectionHandler handler) {
        Connection conn;
        try {
            Channel ch = System.inheritedChannel();
            conn = ch instanceof SocketChannel sc ? Connection.of(sc.socket())
                    : Connection.ofPipes(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        } catch (IOException e) {
            conn = Connection.ofPipes(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        }
        handler.serve(conn);
        return 0;
    }

    private int serveStandalone(ConnectionHandler handler, AccessList acl, Stats stats, Path tmp)
            throws StartupFailure, InterruptedException {
        int jobs = opt.jobs != null ? opt.jobs : Runtime.getRuntime().availableProcessors() + 2;
        ServerSocket listener = bind(opt.port);
        ServerSocket statsListener = opt.stats ? bind(opt.statsPort) : null;
        DaemonServer server = new DaemonServer(listener, jobs, handler, log);
        Volunteer v = volunteer;
        StatsServer statsServer = statsListener == null ? null
                : new StatsServer(statsListener, acl, stats, tmp, jobs, server::running,
                        v == null ? () -> "" : v::statusLines);
        installDrainHook(server, statsServer, v);
        if (statsServer != null) {
            Thread.ofPlatform().daemon().name("stats").start(statsServer::serve);
        }
        if (v != null) {
            // Before the ready file: the toolchains are fetched and test-run first; a hub that cannot be used now
            // is retried in the background and never stops the daemon.
            v.start(listener.getLocalPort(), jobs);
        }
        try {
            pidFile = opt.pidFile == null ? null : PidFile.write(opt.pidFile);
            if (opt.readyFile != null) {
                Files.writeString(opt.readyFile, "listening on " + describe(listener) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new StartupFailure(StartupFailure.IO_ERROR, "cannot write " + e.getMessage());
        }
        log.info("dcc_listen_by_addr", "listening on " + describe(listener));
        log.info("dcc_standalone_server", Runtime.getRuntime().availableProcessors() + " CPUs online on this server");
        log.info("dcc_standalone_server", "allowing up to " + jobs + " active jobs");
        log.notice("dcc_log_daemon_started", "daemon started (jdistcc distccd " + Banner.version() + ")");
        if (opt.lifetime > 0) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofSeconds(opt.lifetime));
                    log.notice("dcc_daemon_terminate", "--lifetime of " + opt.lifetime + "s reached");
                    server.drain();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (opt.detachedChild) {
            out.println(Detacher.READY);
            out.flush();
        }
        // Returns once a drain (SIGTERM's shutdown hook, or --lifetime) has closed the listener and the running
        // jobs are done; the hook, which also removes the pid file, runs again on exit and finds nothing to do.
        server.serve();
        server.drain();
        return 0;
    }

    /**
     * SIGTERM: leave the hub's volunteer list first (so it stops sending jobs here), then drain. Installed before
     * the start-up sync, so a SIGTERM during a long first fetch still ends cleanly.
     */
    private void installDrainHook(DaemonServer server, StatsServer statsServer, Volunteer v) {
        ServerLog l = log;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            l.notice("dcc_daemon_terminate", "terminating: waiting for " + server.running() + " running jobs");
            if (v != null) {
                v.close();
            }
            PidFile pid = pidFile;
            try {
                server.drain();
                if (statsServer != null) {
                    statsServer.close();
                }
            } catch (InterruptedException | IOException e) {
                // exiting anyway
            }
            if (pid != null) {
                pid.remove();
            }
            l.notice("dcc_daemon_terminate", "drained; exiting");
            if (l instanceof LogSink s) {
                s.close();
            }
        }, "distccd-drain"));
    }

    private ServerSocket bind(int port) throws StartupFailure {
        try {
            InetAddress addr = opt.listen == null ? null : InetAddress.getByName(opt.listen);
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(addr, port), 1024);
            return s;
        } catch (IOException e) {
            String msg = "failed to bind to " + (opt.listen == null ? "" : opt.listen) + ":" + port + ": " + e.getMessage();
            log.error("dcc_socket_listen", msg);
            throw new StartupFailure(StartupFailure.BIND_FAILED, msg, e);
        }
    }

    private static String describe(ServerSocket s) {
        InetAddress a = s.getInetAddress();
        return (a.isAnyLocalAddress() ? "0.0.0.0" : a.getHostAddress()) + ":" + s.getLocalPort();
    }

    private ServerLog openLog() {
        Severity level = opt.level();
        if (opt.logFile != null) {
            try {
                OutputStream o = Files.newOutputStream(opt.logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return LogSink.to(o, level);
            } catch (IOException e) {
                err.println("distccd: ERROR: failed to open logfile " + opt.logFile + ": " + e.getMessage());
                err.flush();
                return LogSink.to(new FileOutputStream(FileDescriptor.err), level);
            }
        }
        if (opt.logStderr) {
            return LogSink.to(new FileOutputStream(FileDescriptor.err), level);
        }
        LogSink syslog = LogSink.syslog(level);
        if (syslog != null) {
            return syslog;
        }
        // No syslog socket: stderr, except in inetd mode where stderr may be the client's socket.
        return inetdMode ? ServerLog.DISCARD : LogSink.to(new FileOutputStream(FileDescriptor.err), level);
    }

    private AccessList accessList() {
        List<String> specs = new ArrayList<>(opt.allow);
        if (opt.allowPrivate || (specs.isEmpty() && !inetdMode)) {
            if (specs.isEmpty() && !opt.allowPrivate) {
                log.warning("main", "no --allow option given: accepting only private and loopback addresses"
                        + " (as --allow-private)");
            }
            specs.addAll(AccessList.PRIVATE);
        }
        return AccessList.parse(specs);
    }

    private Path tmpDir() throws StartupFailure {
        Path tmp = Path.of(env.getOrDefault("TMPDIR", "/tmp"));
        if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) {
            throw new StartupFailure(StartupFailure.IO_ERROR, "TMPDIR " + tmp + " is not a writable directory");
        }
        return tmp.toAbsolutePath();
    }

    private Duration ioTimeout() throws StartupFailure {
        String v = env.get("DISTCC_IO_TIMEOUT");
        if (v == null) {
            return Duration.ofSeconds(300);
        }
        try {
            int s = Integer.parseInt(v.trim());
            if (s > 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new StartupFailure(StartupFailure.BAD_ARGUMENTS, "bad DISTCC_IO_TIMEOUT '" + v + "'");
    }

    private CompilerResolver resolver(String path) throws StartupFailure {
        CmdList cmdList;
        try {
            cmdList = CmdList.fromEnvironment(env);
        } catch (IOException e) {
            throw new StartupFailure(StartupFailure.IO_ERROR, "cannot read DISTCC_CMDLIST: " + e.getMessage());
        }
        List<Path> dirs = new ArrayList<>(opt.masqueradeDirs);
        dirs.add(DEFAULT_MASQUERADE_DIR);
        boolean ownCompilers = opt.insecure || cmdList != null || dirs.stream().anyMatch(Daemon::nonEmptyDir);
        if (volunteer != null) {
            // The allow-list is the hub's manifest, plus the masquerade directories where there are any.
            if (!ownCompilers) {
                log.info("dcc_setup_daemon_path", "no masquerade directory: compiling only with the hub's toolchains");
            }
            return volunteer.resolver(ownCompilers ? pathResolver(dirs, cmdList, path) : null);
        }
        if (!ownCompilers) {
            throw new StartupFailure(StartupFailure.COMPILER_MISSING, dirs.getLast() + " not found or empty: create"
                    + " masquerade links there (update-distcc-symlinks), name another directory with --masquerade-dir,"
                    + " or pass --enable-tcp-insecure");
        }
        return pathResolver(dirs, cmdList, path);
    }

    private CompilerResolver pathResolver(List<Path> dirs, CmdList cmdList, String path) {
        List<Path> search = new ArrayList<>();
        for (String p : path.split(":", -1)) {
            search.add(Path.of(p.isEmpty() ? "." : p));
        }
        return new PathCompilerResolver(dirs, cmdList, opt.insecure, search);
    }

    private static boolean nonEmptyDir(Path d) {
        try (var s = Files.list(d)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private ProcessPolicy processPolicy() throws StartupFailure {
        Path setsid = Privileges.findTool("setsid");
        Path nice = Privileges.findTool("nice");
        if (!Privileges.runningAsRoot()) {
            return ProcessPolicy.of(setsid, nice, opt.nice, null, -1, -1);
        }
        Path setpriv = Privileges.findTool("setpriv");
        if (setpriv == null) {
            throw new StartupFailure(StartupFailure.SETUID_FAILED, "running as root, but setpriv(1) is missing to run"
                    + " compilers as an unprivileged user: install util-linux, or start distccd as another user");
        }
        Privileges.Account a = Privileges.choose(opt.user);
        log.info("dcc_discard_root", "running compilers as user " + a.name() + " (uid " + a.uid() + ")");
        return ProcessPolicy.of(setsid, nice, opt.nice, setpriv, a.uid(), a.gid());
    }
}
