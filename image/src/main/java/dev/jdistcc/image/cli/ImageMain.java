package dev.jdistcc.image.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jdistcc-image}: builds the volunteer appliance. */
@Command(name = "jdistcc-image", mixinStandardHelpOptions = true, version = "jdistcc-image 0.1",
        description = "Builds the jdistcc volunteer appliance (kernel + initramfs, hybrid ISO, netboot tree) from a plan.",
        subcommands = {BuildCommand.class, OutputsCommand.class, CommandLine.HelpCommand.class})
public final class ImageMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImageMain()).execute(args));
    }
}
