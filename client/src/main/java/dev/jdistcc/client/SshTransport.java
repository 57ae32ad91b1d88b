package dev.jdistcc.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The protocol over {@code $DISTCC_SSH [-l USER] HOST COMMAND --inetd --enable-tcp-insecure} (reference
 * §1.11): the ssh login is the authentication. ssh's stderr is kept (bounded) and reported as the reason
 * when the job fails, instead of being interleaved with the compiler's output.
 */
public final class SshTransport implements Transport {
    private static final int MAX_EXTRA_WORDS = 12;
    private final String sshCommand;

    public SshTransport(String sshCommand) {
        this.sshCommand = sshCommand;
    }

    /** The command line distcc runs for this host. */
    public List<String> command(HostSpec.Ssh host) {
        String[] words = sshCommand.trim().split("[ ]+");
        List<String> cmd = new ArrayList<>(Arrays.asList(words).subList(0, Math.min(words.length, 1 + MAX_EXTRA_WORDS)));
        if (host.user() != null) {
            cmd.add("-l");
            cmd.add(host.user());
        }
        cmd.add(host.host());
        cmd.add(host.command() == null ? "distccd" : host.command());
        cmd.add("--inetd");
        cmd.add("--enable-tcp-insecure");
        return cmd;
    }

    @Override
    public Connection open(HostSpec.Remote remote, Duration ioTimeout) throws RemoteFailure {
        List<String> cmd = command((HostSpec.Ssh) remote);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new RemoteFailure.ConnectFailed("failed to run " + cmd.getFirst() + ": " + e.getMessage(), e);
        }
        return new SshConnection(p, ioTimeout);
    }

    private static final class SshConnection implements Connection {
        private final Process process;
        private final InputStream in;
        private final OutputStream out;
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread errPump;
        private final Thread watchdog;

        SshConnection(Process process, Duration ioTimeout) {
            this.process = process;
            this.in = new BufferedInputStream(process.getInputStream(), 1 << 16);
            this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
            this.errPump = Thread.ofVirtual().start(this::pumpStderr);
            // Pipes have no read timeout: bound the whole exchange instead, then kill ssh.
            this.watchdog = Thread.ofVirtual().start(() -> {
                try {
                    if (!process.waitFor(ioTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    // closed normally
                }
            });
        }

        private void pumpStderr() {
            byte[] buf = new byte[4096];
            try (InputStream e = process.getErrorStream()) {
                for (int n; (n = e.read(buf)) > 0; ) {
                    synchronized (err) {
                        if (err.size() < 64 * 1024) {
                            err.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException ignored) {
                // ssh went away
            }
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public String diagnostics() {
            try {
                errPump.join(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (err) {
                text = err.toString(StandardCharsets.UTF_8).strip();
            }
            int nl = text.lastIndexOf('\n');
            return nl < 0 ? text : text.substring(nl + 1);
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException ignored) {
                // ssh may already be gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(2, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                watchdog.interrupt();
                in.close();
            }
        }
    }
}
