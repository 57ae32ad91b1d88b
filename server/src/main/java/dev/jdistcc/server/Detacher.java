package dev.jdistcc.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * --daemon without --no-detach. A JVM cannot fork, so the launching process starts this same command again
 * as a child in a new session ({@code setsid}), with stdin from /dev/null, and waits: it exits 0 once the
 * child reports that its socket is bound and its pid file written, and otherwise with the child's own exit
 * code (101, 102, 110, ...), after relaying what the child printed.
 */
final class Detacher {
    /** The child prints this line on stdout when it is ready; the parent never shows it. */
    static final String READY = "jdistcc-distccd-ready";
    static final String CHILD_FLAG = "--detached-child";

    private Detacher() {
    }

    static int launchAndWait(String[] args, PrintWriter err) throws IOException, InterruptedException {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        Path setsid = Privileges.findTool("setsid");
        if (setsid != null) {
            cmd.add(setsid.toString());
        }
        cmd.add(java);
        String[] jvmAndMain = info.arguments().orElse(null);
        if (jvmAndMain == null) {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DistccdMain.class.getName()));
            cmd.addAll(List.of(args));
        } else {
            // The JVM's own arguments, main class and program arguments, exactly as this process got them.
            cmd.addAll(List.of(jvmAndMain));
        }
        cmd.add(CHILD_FLAG);
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(READY)) {
                    return 0;
                }
                err.println(line);
                err.flush();
            }
        }
        return child.waitFor();
    }
}
