package dev.jdistcc.netboot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose output (stdout and stderr merged) is collected line by line with the time
 * since start, so tests wait for a marker line instead of sleeping. Always stopped by its PID.
 */
public final class Child implements AutoCloseable {

    /** One output line and when it arrived, in seconds since the child started. */
    public record Line(double seconds, String text) {}

    private final Process process;
    private final long startNanos = System.nanoTime();
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;

    private Child(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(this::pump);
    }

    public static Child start(List<String> command) throws IOException {
        return new Child(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String s; (s = r.readLine()) != null; ) {
                synchronized (this) {
                    lines.add(new Line((System.nanoTime() - startNanos) / 1e9, s));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // Stream closed: the child is gone.
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /** The first line matching, waiting at most {@code timeout}; empty if the child ended or time ran out. */
    public synchronized Optional<Line> await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen).text())) {
                    return Optional.of(lines.get(seen));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    public synchronized String output() {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(String.format("%7.2f %s%n", l.seconds(), l.text())));
        return s.toString();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the exit; kills (by PID) and fails if it takes longer than {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("child " + pid() + " did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /**
     * SIGTERM to the child's PID (what a service manager sends). Through the ProcessHandle, because
     * {@code Process.destroy()} also closes our end of its output, losing what it prints while stopping.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** True if the PID is gone or a zombie (the container's init may not reap orphans). */
    public static boolean isGone(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
