package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the real {@code jdistcc-netboot} main in a separate JVM, optionally inside a namespace. */
public final class NetbootCli {

    private NetbootCli() {}

    public static Child start(String netns, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "dev.jdistcc.netboot.cli.NetbootMain"));
        cmd.addAll(args);
        return Child.start(cmd);
    }
}
