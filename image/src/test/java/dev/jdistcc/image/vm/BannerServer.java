package dev.jdistcc.image.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Interim payload for the boot tests until the real distccd ({@code dev.jdistcc.server.DistccdMain})
 * is on main: it runs on the appliance's jlinked runtime as the unprivileged user and answers every
 * connection with one line naming its user, Java version and CDS state, which the test reads through
 * QEMU's hostfwd. It exercises the same path as the server: runtime, glibc layer, classpath, /init.
 */
public final class BannerServer {

    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]))) {
            while (true) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    String line = "JDISTCC-PROBE user=" + System.getProperty("user.name")
                            + " java=" + Runtime.version()
                            + " cds=" + (System.getProperty("java.vm.info", "").contains("sharing") ? "on" : "off")
                            + " maxheap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "MiB\n";
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
