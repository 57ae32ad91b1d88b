package dev.jdistcc.server;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of {@code distccd}; the only class that exits. */
public final class DistccdMain {
    private DistccdMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        DistccdCommand cmd = new DistccdCommand(args, out, err);
        int code = DistccdCommand.commandLine(cmd).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
