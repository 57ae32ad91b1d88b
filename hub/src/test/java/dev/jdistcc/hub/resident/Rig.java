package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdistcc.client.handoff.HandoffServer;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A jdistcc installation as users get it, built in a temporary directory from the sources: bin/distcc-fast
 * compiled from jdistcc-launch.c with gcc, the shipped bin/distcc, bin/jdistcc-hub and bin/jdistcc-java
 * scripts, and masquerade links to distcc-fast. The JVMs use this test's class path.
 */
final class Rig {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final Path home;
    final Path masq;

    private Rig(Path home) {
        this.home = home;
        this.masq = home.resolve("masquerade");
    }

    static void requireTools() {
        for (String tool : List.of("/usr/bin/distccd", "/usr/bin/gcc", "/usr/bin/python3")) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: apt-get install distcc gcc python3 (or run scripts/setup-debian)");
            }
        }
        if (!Files.exists(Path.of("/usr/lib/distcc/x86_64-linux-gnu-gcc"))) {
            fail("distccd's compiler whitelist lacks x86_64-linux-gnu-gcc: run update-distcc-symlinks");
        }
    }

    static Rig build(Path dir) throws Exception {
        requireTools();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Result cc = run(List.of("gcc", "-O2", "-Wall", "-o", bin.resolve("distcc-fast").toString(),
                REPO.resolve("distribution/src/c/jdistcc-launch.c").toString()), dir, System.getenv(), null);
        assertEquals(0, cc.exit(), "gcc could not build the launcher: " + cc);
        for (String script : List.of("distcc", "jdistcc-hub", "jdistcc-java")) {
            Path to = bin.resolve(script);
            Files.copy(REPO.resolve("distribution/src/bin").resolve(script), to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Rig rig = new Rig(dir);
        Files.createDirectories(rig.masq);
        for (String name : List.of("gcc", "cc")) {
            Files.createSymbolicLink(rig.masq.resolve(name), Path.of("../bin/distcc-fast"));
        }
        return rig;
    }

    Path launcher() {
        return home.resolve("bin/distcc-fast");
    }

    /** A user's environment for jobs: masquerade PATH, private DISTCC_DIR and hub socket, this test's class path. */
    Map<String, String> env(Path distccDir, String hosts) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", masq + ":/usr/bin:/bin");
        env.put("HOME", distccDir.toString());
        env.put("DISTCC_DIR", distccDir.toString());
        env.put("DISTCC_HOSTS", hosts);
        env.put("JDISTCC_HUB_SOCKET", socket(distccDir).toString());
        env.put("JDISTCC_JAVA", JAVA);
        env.put("JDISTCC_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JDISTCC_HUB_ARGS", "--no-http");
        env.put("LANG", "C");
        return env;
    }

    /** The same, but the plain JVM client cannot run: a job that succeeds was done by the hub. */
    Map<String, String> hubOnlyEnv(Path distccDir, String hosts) {
        Map<String, String> env = env(distccDir, hosts);
        env.put("JDISTCC_JAVA", "/bin/false");
        env.put("JDISTCC_NO_HUB", "1");
        return env;
    }

    static Path socket(Path distccDir) {
        return distccDir.resolve("jdistcc/hub.sock");
    }

    /** Starts {@code jdistcc-hub serve --on-demand --no-http} on the DISTCC_DIR's socket and waits until it serves. */
    Process startHub(Path distccDir, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/jdistcc-hub").toString(), "serve", "--on-demand",
                "--no-http", "--socket", socket(distccDir).toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(distccDir.resolve("hub.log").toFile());
        pb.environment().put("JDISTCC_JAVA", JAVA);
        pb.environment().put("JDISTCC_CLASSPATH", System.getProperty("java.class.path"));
        Files.createDirectories(distccDir);
        Process hub = pb.start();
        awaitServing(distccDir, hub);
        return hub;
    }

    static void awaitServing(Path distccDir, Process hub) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (HandoffServer.isLive(socket(distccDir))) {
                return;
            }
            if (hub != null && !hub.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        Path log = distccDir.resolve("hub.log");
        fail("the hub did not serve " + socket(distccDir) + (Files.exists(log) ? ":\n" + Files.readString(log) : ""));
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    static Process start(List<String> cmd, Path cwd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(cwd.resolve(".out").toFile());
        pb.redirectError(cwd.resolve(".err").toFile());
        return pb.start();
    }

    /** Runs a command with a deadline; {@code stdin} null means /dev/null. */
    static Result run(List<String> cmd, Path cwd, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        pb.redirectOutput(cwd.resolve(".out").toFile());
        pb.redirectError(cwd.resolve(".err").toFile());
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return finish(p, cwd);
    }

    static Result finish(Process p, Path cwd) throws Exception {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("command did not finish within 180 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(cwd.resolve(".out")), Files.readString(cwd.resolve(".err")));
        Files.delete(cwd.resolve(".out"));
        Files.delete(cwd.resolve(".err"));
        return r;
    }

    /** A local compile of the same command with the real gcc, for comparing objects. */
    static byte[] compileLocally(Path cwd, String source, String... flags) throws Exception {
        Path out = Files.createTempFile(cwd, "local", ".o");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-c", source, "-o", out.getFileName().toString()));
        Result r = run(cmd, cwd, Map.of("PATH", "/usr/bin:/bin", "LANG", "C"), null);
        assertEquals(0, r.exit(), r.toString());
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        return bytes;
    }

    /** The monitor record distccmon-text reads for process {@code pid}: host name and phase, or null. */
    static String[] monitor(Path distccDir, long pid) {
        Path f = distccDir.resolve("state/binstate_" + pid);
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < 296) {
                return null;
            }
            byte[] host = new byte[128];
            b.position(152);
            b.get(host);
            int len = 0;
            while (len < host.length && host[len] != 0) {
                len++;
            }
            return new String[] {new String(host, 0, len, StandardCharsets.UTF_8), Integer.toString(b.getInt(284))};
        } catch (IOException e) {
            return null;
        }
    }

    /** Waits until the job of launcher {@code pid} is talking to {@code host} (phase send or later). */
    static void awaitJobOn(Path distccDir, Process launcher, String host) throws Exception {
        for (int i = 0; i < 1800 && launcher.isAlive(); i++) {
            String[] m = monitor(distccDir, launcher.pid());
            if (m != null && m[0].equals(host) && Integer.parseInt(m[1]) >= 4) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the job of launcher " + launcher.pid() + " never reached " + host + " (alive: " + launcher.isAlive() + ")");
    }
}
