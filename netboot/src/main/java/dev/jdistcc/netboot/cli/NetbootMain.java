package dev.jdistcc.netboot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code jdistcc-netboot}: network boot of volunteer appliances from this machine. */
@Command(name = "jdistcc-netboot", mixinStandardHelpOptions = true, version = "jdistcc-netboot 0.1",
        description = "Boots volunteer machines over the network (PXE/iPXE) into the jdistcc appliance.",
        subcommands = {ServeCommand.class, TftpRootCommand.class, CommandLine.HelpCommand.class})
public final class NetbootMain {

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger[] QUIET = {Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss")};

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        // Undertow and XNIO announce their versions at INFO; the command prints its own summary.
        for (Logger l : QUIET) {
            l.setLevel(Level.WARNING);
        }
        return new CommandLine(new NetbootMain());
    }
}
