package dev.jdistcc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Debian distccd 3.4, the reference the compatibility tests compare against. */
final class StockDistccd implements AutoCloseable {
    final int port;
    final Process process;

    private StockDistccd(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static StockDistccd start(Path dir) throws IOException, InterruptedException {
        Tools.requireDistcc();
        Tools.openDir(dir);
        int port = Tools.freePort();
        Process p = new ProcessBuilder(List.of(Tools.STOCK_DISTCCD.toString(), "--daemon", "--no-detach",
                "--port", Integer.toString(port), "--listen", "127.0.0.1", "--allow", "127.0.0.1",
                "--log-file", dir.resolve("stock.log").toString()))
                .redirectOutput(dir.resolve("stock.out").toFile())
                .redirectError(dir.resolve("stock.err").toFile())
                .start();
        StockDistccd d = new StockDistccd(port, p);
        while (!d.accepts()) {
            if (!p.isAlive()) {
                throw new IllegalStateException("stock distccd exited " + p.exitValue());
            }
            Thread.sleep(50);
        }
        return d;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
