package dev.jdistcc.image.cli;

import dev.jdistcc.image.output.OutputWriter;
import dev.jdistcc.image.output.OutputWriters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "outputs", description = "Lists the output formats a plan's 'outputs' may name.")
final class OutputsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (OutputWriter w : new TreeMap<>(OutputWriters.all()).values()) {
            spec.commandLine().getOut().printf("%-14s %s%n", w.name(), w.description());
        }
        return 0;
    }
}
