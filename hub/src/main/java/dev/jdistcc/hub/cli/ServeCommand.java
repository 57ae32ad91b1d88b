package dev.jdistcc.hub.cli;

import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.store.HubEvent;
import dev.jdistcc.toolchain.Compression;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code jdistcc-hub serve}: run the hub until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve toolchains and the volunteer registry; packages local compilers in the background.")
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Hub.Config c = Hub.Config.defaults(state).withBind(bind, port);
        if (compilers != null && !compilers.isEmpty()) {
            c = c.withCompilers(compilers);
        }
        c = new Hub.Config(c.stateDir(), c.bindHost(), c.port(), c.compilers(), Duration.ofSeconds(rescan), c.heartbeat(),
                hostsFile != null ? hostsFile : c.hostsFile(), Compression.ZSTD);
        try (Hub hub = Hub.start(c, e -> render(out, e))) {
            out.println("jdistcc-hub serving at " + hub.url());
            out.println("volunteers trust: " + hub.store().publicKey());
            out.println("distcc hosts file: " + c.hostsFile());
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private static void render(PrintWriter out, HubEvent e) {
        String line = switch (e) {
            case HubEvent.Packaged p -> "packaged " + p.compiler() + " as " + p.digest().shortForm() + " ("
                    + p.archiveBytes() / 1_000_000 + " MB, " + p.took().toMillis() + " ms)";
            case HubEvent.PackagingFailed f -> "cannot package " + f.compiler() + ": " + f.reason();
            case HubEvent.ManifestPublished m -> "manifest published with " + m.toolchains() + " toolchain(s)";
            case HubEvent.VolunteerJoined j -> "volunteer " + j.id() + " joined from " + j.address() + ":" + j.port();
            case HubEvent.VolunteerDropped d -> "volunteer " + d.id() + " dropped: " + d.why();
        };
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
