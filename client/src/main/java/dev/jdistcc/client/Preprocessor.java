package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The local cpp run of a distributed job (reference §2.7), started in the background so that connecting and
 * sending the request header overlap with it. Already-preprocessed inputs are read as they are.
 */
final class Preprocessor implements AutoCloseable {

    /** cpp exited non-zero; it has printed its own diagnostics. */
    static final class Failed extends Exception {
        final int exitCode;

        Failed(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final Process process;
    private final Path output;
    private final boolean ownsOutput;
    private final boolean keep;
    private final int exitCode;
    private byte[] result;
    private boolean done;

    private Preprocessor(Process process, Path output, boolean ownsOutput, boolean keep, int exitCode) {
        this.process = process;
        this.output = output;
        this.ownsOutput = ownsOutput;
        this.keep = keep;
        this.exitCode = exitCode;
    }

    /**
     * Runs cpp through {@code runner} (which ran it to the end: a resident process has the job's launcher run
     * it) when the runner does that, else starts it here as a background child.
     */
    static Preprocessor run(LocalRunner runner, CompileJob job, Path exe, List<String> cppArgv,
                            Map<String, String> env, Path tmpDir, String suffix, boolean saveTemps)
            throws IOException, InterruptedException {
        if (!runner.runsPreprocessor()) {
            return start(exe, cppArgv, job.cwd(), env, tmpDir, suffix, job.stdio(), saveTemps, job.umask());
        }
        Path out = TempFiles.create(tmpDir, "distcc_", suffix);
        boolean ok = false;
        try {
            int code = runner.preprocess(job, exe, cppArgv, env, out);
            ok = true;
            return new Preprocessor(null, out, true, saveTemps, code);
        } finally {
            if (!ok) {
                Files.deleteIfExists(out);
            }
        }
    }

    /** Starts {@code cppArgv} with stdout going to {@code $TMPDIR/distcc_XXXX<suffix>}. */
    static Preprocessor start(Path exe, List<String> cppArgv, Path cwd, Map<String, String> env, Path tmpDir,
                              String suffix, CompileJob.Stdio stdio, boolean saveTemps, int umask) throws IOException {
        Path out = TempFiles.create(tmpDir, "distcc_", suffix);
        try {
            Process p = ChildProcess.start(exe, cppArgv, cwd, env, out.toFile(), stdio, umask);
            return new Preprocessor(p, out, true, saveTemps, 0);
        } catch (IOException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    /** An input that needs no cpp (.i, .ii, .mi, .mii). */
    static Preprocessor existing(Path input) {
        return new Preprocessor(null, input, false, true, 0);
    }

    boolean running() {
        return process != null && !done;
    }

    /** Waits for cpp (once) and returns what it wrote. */
    byte[] await() throws Failed, IOException, InterruptedException {
        if (result == null) {
            awaitFile();
            result = Files.readAllBytes(output);
        }
        return result;
    }

    /** Waits for cpp (once) and returns the file holding what it wrote, without reading it. */
    Path awaitFile() throws Failed, IOException, InterruptedException {
        if (!done) {
            int code = process != null ? ChildProcess.waitFor(process) : exitCode;
            if (code != 0) {
                throw new Failed(code, "preprocessor failed with exit code " + code);
            }
            done = true;
        }
        return output;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (ownsOutput && !keep) {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a stray temp file is harmless
            }
        }
    }
}
