package dev.jdistcc.hub.cli;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.resident.RegistryLocality;
import dev.jdistcc.hub.resident.ResidentHub;
import dev.jdistcc.hub.resident.SchedulerConfig;
import dev.jdistcc.hub.resident.ToolchainIndexFeed;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.toolchain.Compression;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jdistcc-hub serve}: the resident compile service for the native launcher (bin/distcc-fast) and the
 * HTTP hub (toolchains, volunteer registry). {@code --on-demand} is how a launcher starts it: it leaves
 * quietly when another hub already serves the socket, does without HTTP when the port is taken, packages no
 * compilers (unless {@code --package-when-idle}: then only after a minute without jobs), and exits after
 * {@code --idle-exit-seconds} without jobs.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve compile jobs from the native launcher, toolchains and the volunteer registry.")
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--state", description = "State directory (key, bundles, hosts file). Default: ${DEFAULT-VALUE}",
            defaultValue = "${sys:user.home}/.cache/jdistcc/hub")
    Path state;

    @Option(names = "--bind", description = "Address to listen on. Default: ${DEFAULT-VALUE}", defaultValue = "127.0.0.1")
    String bind;

    // Not 3633: that is distccd's --stats port, and a client machine often runs a distccd too.
    @Option(names = "--port", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}", defaultValue = "3640")
    int port;

    @Option(names = "--compiler", description = "Compiler to package (repeatable). Default: every compiler on PATH.")
    List<String> compilers;

    @Option(names = "--rescan-seconds", description = "How often to look for new compilers. Default: ${DEFAULT-VALUE}",
            defaultValue = "60")
    long rescan;

    @Option(names = "--hosts-file", description = "distcc host file kept in sync with live volunteers. Default: <state>/hosts")
    Path hostsFile;

    @Option(names = "--socket", description = "The launchers' hand-off socket. Default: $JDISTCC_HUB_SOCKET, "
            + "else $DISTCC_DIR/jdistcc/hub.sock, else ~/.distcc/jdistcc/hub.sock")
    Path socket;

    @Option(names = "--on-demand", description = "Started by a launcher: quiet if another hub serves, HTTP optional, "
            + "exits when idle.")
    boolean onDemand;

    @Option(names = "--idle-exit-seconds", description = "Exit after this long without jobs (0: never). "
            + "Default: 600 with --on-demand, else 0")
    Long idleExit;

    @Option(names = "--no-http", description = "Serve only the hand-off socket.")
    boolean noHttp;

    // Packaging compilers costs minutes of CPU; a hub a launcher started on its own must not spend them
    // behind the user's back (nor in a benchmark's idle gaps). `jdistcc-hub serve` without --on-demand does.
    @Option(names = "--package-when-idle", description = "With --on-demand: package local compilers too, "
            + "after a minute without jobs.")
    boolean packageWhenIdle;

    @Option(names = "--stall-min-seconds", defaultValue = "20",
            description = "Shortest time a volunteer may take to answer before its job is sent elsewhere. Default: ${DEFAULT-VALUE}")
    long stallMin;

    @Option(names = "--local-slots", defaultValue = "auto", paramLabel = "N|auto",
            description = "Offer this many local compile slots as a host even when the host list has no localhost; "
                    + "used only while a core is idle (load average) and this machine is expected to finish the "
                    + "job first. auto: all cores but two. Default: ${DEFAULT-VALUE}")
    String localSlots;

    @Option(names = "--long-pole-room", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "While the build's largest long pole (an input at least twice the typical one) compiles, "
                    + "keep one slot of its host free, so a volunteer whose slots share its CPU gives the pole more "
                    + "of it. Default: on")
    boolean longPoleRoom;

    @Option(names = "--same-machine-jobs", defaultValue = "auto", paramLabel = "N|auto",
            description = "Jobs the volunteers on this machine (at a loopback or own address, e.g. a distccd or a "
                    + "volunteer VM beside the client, or served from a container or network namespace here) may run "
                    + "together, whatever slots they advertise: they share this machine's cores. 0: no limit. "
                    + "auto: one more than the online CPUs. "
                    + "Default: ${DEFAULT-VALUE}")
    String sameMachineJobs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path sock = socket != null ? socket : ResidentHub.defaultSocket(System.getenv());
        SchedulerConfig sc = SchedulerConfig.defaults();
        int slots = count("--local-slots", localSlots, sc.implicitLocalSlots());
        sc = new SchedulerConfig(Duration.ofSeconds(stallMin), sc.stallFactor(), slots, sc.cooldown(), sc.poll())
                .withLongPoleRoom(longPoleRoom)
                .withSameMachineJobs(count("--same-machine-jobs", sameMachineJobs,
                        SchedulerConfig.autoSameMachineJobs()));
        ToolchainIndexFeed feed = new ToolchainIndexFeed(ToolchainIndexFeed.fileNextTo(sock));
        Optional<ResidentHub> resident = ResidentHub.start(sock, sc, feed);
        if (resident.isEmpty() && onDemand) {
            return 0; // another hub got there first
        }
        if (resident.isPresent()) {
            // On SIGTERM too, remove the socket and pid file (a stale socket only costs launchers a retry).
            ResidentHub rh = resident.get();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    rh.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }));
        }
        try (AutoCloseable r = resident.isPresent() ? resident.get() : () -> { };
             AutoCloseable http = noHttp ? () -> { } : startHttp(out, resident, feed)) {
            say(out, resident.isPresent() ? "compile jobs: " + sock : "another hub serves " + sock + "; serving HTTP only");
            long idle = idleExit != null ? idleExit : onDemand ? 600 : 0;
            waitUntilIdle(resident, Duration.ofSeconds(idle));
        }
        return 0;
    }

    /** A count option's value: 0 or more, or {@code auto} for {@code auto}'s value. */
    private int count(String option, String value, int auto) {
        if (value.equals("auto")) {
            return auto;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be a number (0 or more) or auto, not '" + value + "'");
        }
        return n;
    }

    private AutoCloseable startHttp(PrintWriter out, Optional<ResidentHub> resident, ToolchainIndexFeed feed)
            throws Exception {
        Hub.Config c = Hub.Config.defaults(state).withBind(bind, port);
        if (compilers != null && !compilers.isEmpty()) {
            c = c.withCompilers(compilers);
        }
        c = new Hub.Config(c.stateDir(), c.bindHost(), c.port(), c.compilers(), Duration.ofSeconds(rescan), c.heartbeat(),
                hostsFile != null ? hostsFile : c.hostsFile(), Compression.ZSTD);
        if (onDemand && !packageWhenIdle) {
            c = c.withPackagingGate(() -> false);
        } else if (onDemand && resident.isPresent()) {
            ResidentHub rh = resident.get();
            c = c.withPackagingGate(() -> rh.idleNanos() > Duration.ofMinutes(1).toNanos());
        }
        try {
            Hub hub = Hub.start(c, e -> {
                render(out, e);
                if (resident.isPresent()) {
                    feed.on(e);
                }
            });
            if (resident.isPresent()) {
                feed.attach(hub); // jobs to jdistcc peers name the packaged compilers by digest
                // and go preferably to volunteers that already hold that toolchain
                resident.get().scheduler().toolchainLocality(new RegistryLocality(hub.registry()));
            }
            say(out, "jdistcc-hub serving at " + hub.url());
            say(out, "volunteers trust: " + hub.store().publicKey());
            say(out, "distcc hosts file: " + c.hostsFile());
            return hub;
        } catch (RuntimeException e) {
            if (onDemand && causedBy(e, BindException.class)) {
                say(out, "port " + port + " is taken: serving compile jobs without HTTP");
                return () -> { };
            }
            throw e;
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static void waitUntilIdle(Optional<ResidentHub> resident, Duration idle) throws InterruptedException {
        while (true) {
            Thread.sleep(1000);
            if (!idle.isZero() && resident.isPresent() && resident.get().idleNanos() > idle.toNanos()) {
                return;
            }
        }
    }

    private static void say(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void render(PrintWriter out, HubEvent e) {
        say(out, e.describe());
    }
}
