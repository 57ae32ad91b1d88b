package dev.jdistcc.hub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code jdistcc-hub}: the client-side resident server and its packaging tools. */
@Command(name = "jdistcc-hub", mixinStandardHelpOptions = true, version = "jdistcc-hub 0.1",
        description = "Packages local compilers into signed toolchain bundles and serves them to volunteers.",
        subcommands = {ServeCommand.class, PackageCommand.class, KeyCommand.class})
public final class HubMain implements Callable<Integer> {
    /** Undertow and XNIO log their versions at INFO via java.util.logging; held strongly so the levels stick. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of("io.undertow", "org.xnio", "org.jboss")
            .map(java.util.logging.Logger::getLogger).toList();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    public static void main(String[] args) {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(new CommandLine(new HubMain()).execute(args));
    }
}
