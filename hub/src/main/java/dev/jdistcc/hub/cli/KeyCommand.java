package dev.jdistcc.hub.cli;

import dev.jdistcc.toolchain.sign.SigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jdistcc-hub key}: print the public key volunteers should trust (creating the key if needed). */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Print the hub's public key (ed25519:…).")
final class KeyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--state", defaultValue = "${sys:user.home}/.cache/jdistcc/hub", description = "State directory.")
    Path state;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(state);
        spec.commandLine().getOut().println(SigningKey.loadOrCreate(state.resolve("signing-key.json")).publicKey());
        return 0;
    }
}
