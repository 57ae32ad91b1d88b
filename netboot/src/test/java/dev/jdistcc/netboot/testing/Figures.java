package dev.jdistcc.netboot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends benchmark figures of the VM tests to {@code target/netboot-figures.txt} (and stdout). */
public final class Figures {

    private Figures() {}

    public static synchronized void record(String line) throws IOException {
        System.out.println("FIGURE " + line);
        Files.writeString(Path.of("target", "netboot-figures.txt"), line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
