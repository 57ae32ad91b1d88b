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

    private static final byte[] NONE = new byte[0];
    private final Process process;
    private final Path output;
    private final boolean ownsOutput;
    private final boolean keep;
    private final int exitCode;
    private final boolean partial;
    private final byte[] diagnostics;
    private final String fullBecause;
    private byte[] result;
    private boolean done;

    private Preprocessor(Process process, Path output, boolean ownsOutput, boolean keep, int exitCode) {
        this(process, output, ownsOutput, keep, exitCode, false, NONE, null);
    }

    private Preprocessor(Process process, Path output, boolean ownsOutput, boolean keep, int exitCode,
                         boolean partial, byte[] diagnostics, String fullBecause) {
        this.process = process;
        this.output = output;
        this.ownsOutput = ownsOutput;
        this.keep = keep;
        this.exitCode = exitCode;
        this.partial = partial;
        this.diagnostics = diagnostics;
        this.fullBecause = fullBecause;
    }

    /**
     * Runs cpp through {@code runner} (which ran it to the end: a resident process has the job's launcher run
     * it) when the runner does that, else starts it here as a background child.
     *
     * @param partialArgv a partial ({@link PartialCpp}) command to try first, or null; it is tried only when
     *                    the runner can hold its stderr back ({@link LocalRunner#capturesPreprocessor()})
     */
    static Preprocessor run(LocalRunner runner, CompileJob job, Path exe, List<String> cppArgv, List<String> partialArgv,
                            Map<String, String> env, Path tmpDir, String suffix, boolean saveTemps)
            throws IOException, InterruptedException {
        if (!runner.runsPreprocessor()) {
            return start(exe, cppArgv, job.cwd(), env, tmpDir, suffix, job.stdio(), saveTemps, job.umask());
        }
        Path out = TempFiles.create(tmpDir, "distcc_", suffix);
        boolean ok = false;
        try {
            String fullBecause = null;
            if (partialArgv != null && runner.capturesPreprocessor()) {
                LocalRunner.CapturedCpp r = runner.preprocessCaptured(job, exe, partialArgv, env, out);
                if (r.exitCode() == 0 && !r.namesClock() || r.exitCode() >= 128) {
                    ok = true;   // kept, or killed by a signal (the job is being stopped: no second try)
                    return new Preprocessor(null, out, true, saveTemps, r.exitCode(), r.exitCode() == 0,
                            r.stderr(), null);
                }
                fullBecause = r.exitCode() == 0 ? "its output names __DATE__, __TIME__ or __TIMESTAMP__"
                        : "it failed with exit code " + r.exitCode();
            }
            int code = runner.preprocess(job, exe, cppArgv, env, out);
            ok = true;
            return new Preprocessor(null, out, true, saveTemps, code, false, NONE, fullBecause);
        } finally {
            if (!ok) {
                Files.deleteIfExists(out);
            }
        }
    }

    /** Whether the output is partial ({@code -fdirectives-only}): the server must be told so. */
    boolean partial() {
        return partial;
    }

    /** What a kept partial cpp printed to stderr, for the caller to show (nothing otherwise: cpp showed it). */
    byte[] diagnostics() {
        return diagnostics;
    }

    /** Why a partial cpp was tried and replaced by a full one, or null. */
    String fullBecause() {
        return fullBecause;
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
