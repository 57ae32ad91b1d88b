package dev.jdistcc.image.exec;

import dev.jdistcc.image.ToolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs build-host tools, each with a deadline and a kill path: on timeout the process gets
 * {@code destroy()}, then {@code destroyForcibly()}. A missing tool is reported with the Debian package
 * that provides it.
 */
public final class Exec {

    /** What a finished process printed. */
    public record Result(String stdout, String stderr) {}

    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("apt-get", "apt"), Map.entry("dpkg-deb", "dpkg"), Map.entry("depmod", "kmod"),
            Map.entry("zstd", "zstd"), Map.entry("strip", "binutils"), Map.entry("xorriso", "xorriso"),
            Map.entry("mformat", "mtools"), Map.entry("mcopy", "mtools"), Map.entry("grub-mkimage", "grub-common"),
            Map.entry("qemu-system-x86_64", "qemu-system-x86"));

    private Exec() {}

    public static Result run(List<String> command, Path cwd, Duration timeout) throws ToolException {
        return run(command, cwd, timeout, Map.of(), null);
    }

    /**
     * Runs {@code command} in {@code cwd} with extra environment {@code env}; if {@code stdoutFile} is not
     * null, stdout goes there instead of being captured. Non-zero exit is a {@link ToolException} carrying stderr.
     */
    public static Result run(List<String> command, Path cwd, Duration timeout, Map<String, String> env, Path stdoutFile)
            throws ToolException {
        String tool = Path.of(command.getFirst()).getFileName().toString();
        List<String> cmd = new java.util.ArrayList<>(command);
        cmd.set(0, requireTool(command.getFirst()).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.environment().put("LC_ALL", "C");
        if (stdoutFile != null) {
            pb.redirectOutput(stdoutFile.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException("cannot start " + tool + ": " + e.getMessage() + hint(tool), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(stdoutFile == null ? p.getInputStream() : InputStream.nullInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new ToolException(tool + " did not finish within " + timeout.toSeconds() + " s: " + command);
            }
            Result r = new Result(out.join(), err.join());
            if (p.exitValue() != 0) {
                throw new ToolException(tool + " failed (exit " + p.exitValue() + "): " + String.join(" ", command)
                        + "\n" + tail(r.stderr().isBlank() ? r.stdout() : r.stderr()));
            }
            return r;
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new ToolException(tool + " was interrupted", e);
        } catch (IOException e) {
            kill(p);
            throw new ToolException(tool + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves {@code tool} (a name looked up on PATH, then /usr/sbin and /sbin, or an absolute path);
     * fails with the install command if it is not there.
     */
    public static Path requireTool(String tool) throws ToolException {
        Path t = Path.of(tool);
        if (t.isAbsolute()) {
            if (Files.isExecutable(t)) {
                return t;
            }
        } else {
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    return Path.of(dir, tool);
                }
            }
        }
        throw new ToolException("'" + tool + "' is not installed" + hint(t.getFileName().toString()));
    }

    private static String hint(String tool) {
        String pkg = PACKAGES.get(tool);
        return pkg == null ? "" : " (install it: apt-get install " + pkg + ")";
    }

    private static void kill(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 2000 ? t : "…" + t.substring(t.length() - 2000);
    }
}
