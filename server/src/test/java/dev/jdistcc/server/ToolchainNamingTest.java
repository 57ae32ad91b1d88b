package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.DistccMain;
import dev.jdistcc.hub.Hub;
import dev.jdistcc.hub.resident.RegistryLocality;
import dev.jdistcc.hub.resident.ResidentHub;
import dev.jdistcc.hub.resident.SchedulerConfig;
import dev.jdistcc.hub.resident.ToolchainIndexFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 point 7 with OUR client: a real hub packages gcc/g++ and publishes the toolchain index; the plain JVM
 * client ({@code DistccMain} as a child process) and the resident path (the native launcher, built from
 * distribution/src/c, handing jobs to an in-process {@link ResidentHub}) name the toolchain by digest (TOOL/TSRC)
 * to a {@code ,lz4} volunteer that can reach no compiler of this host, and the volunteer's log says it ran
 * exactly that toolchain; objects equal local compiles byte for byte. A stock distccd 3.4 is never sent the
 * extension and still compiles.
 */
class ToolchainNamingTest {
    @TempDir
    static Path tmp;
    static Path work;
    static Path project;
    static Hub hub;
    static ToolchainIndexFeed feed;
    static Path index;
    static OurDistccd volunteer;
    static StockDistccd stock;
    static ResidentHub resident;
    static Path socket;
    static Path masq;
    static final List<String> hubCompilers = new CopyOnWriteArrayList<>(List.of("gcc"));

    @BeforeAll
    static void start() throws Exception {
        HubSupport.requireSandboxAndCompilers();
        Tools.require(Path.of("/usr/bin/aarch64-linux-gnu-gcc"), "gcc-aarch64-linux-gnu");
        work = Tools.openDir(tmp.resolve("w"));
        project = Fixtures.project(Tools.openDir(work.resolve("proj")));
        Files.createDirectories(project.resolve("out"));
        hub = HubSupport.startHub(Hub.Config.defaults(work.resolve("hub")).withCompilers(hubCompilers));
        socket = work.resolve("distcc-dir/jdistcc/hub.sock");
        index = ToolchainIndexFeed.fileNextTo(socket);
        feed = new ToolchainIndexFeed(index);
        feed.attach(hub);
        volunteer = HubSupport.startVolunteer(work.resolve("volunteer"), HubSupport.volunteerArgs(hub.url(),
                hub.store().publicKey().toString(), work.resolve("cache/toolchains")));
        stock = StockDistccd.start(work.resolve("stock"));
        resident = ResidentHub.start(socket, SchedulerConfig.defaults(), feed).orElseThrow();
        resident.scheduler().toolchainLocality(new RegistryLocality(hub.registry()));   // as jdistcc-hub serve does
        masq = buildLauncher(work.resolve("launcher"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (resident != null) {
            resident.close();
        }
        if (volunteer != null) {
            volunteer.close();
        }
        if (stock != null) {
            stock.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** bin/distcc-fast from the shipped C source, with gcc and g++ masquerade links to it. */
    static Path buildLauncher(Path dir) throws Exception {
        Path src = Path.of("..").toAbsolutePath().normalize().resolve("distribution/src/c/jdistcc-launch.c");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Run cc = Run.of(dir, Map.of(), List.of("gcc", "-O2", "-o", bin.resolve("distcc-fast").toString(), src.toString()));
        assertEquals(0, cc.exit(), cc.stderr());
        Path m = Files.createDirectories(dir.resolve("masquerade"));
        for (String name : List.of("gcc", "g++", "aarch64-linux-gnu-gcc")) {
            Files.createSymbolicLink(m.resolve(name), Path.of("../bin/distcc-fast"));
        }
        return m;
    }

    /** The environment of a job: its own DISTCC_DIR, no fallback, so a result is the server's. */
    static Map<String, String> jobEnv(String hosts) throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(work.resolve("client")), "d");
        Map<String, String> env = new HashMap<>(Map.of("DISTCC_HOSTS", hosts, "DISTCC_DIR", dir.toString(),
                "DISTCC_FALLBACK", "0", "DISTCC_SKIP_LOCAL_RETRY", "1", "DISTCC_VERBOSE", "1",
                "PATH", "/usr/bin:/bin", "JDISTCC_TOOLCHAIN_INDEX", index.toString()));
        return env;
    }

    /** The plain JVM client, as bin/distcc runs it. */
    static Run plainClient(String hosts, List<String> argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djdistcc.argv0=distcc", "-cp",
                System.getProperty("java.class.path"), DistccMain.class.getName()));
        cmd.addAll(argv);
        return Run.of(project, jobEnv(hosts), cmd);
    }

    /** The native launcher via a masquerade link; it cannot fall back to a JVM, so the resident hub did the job. */
    static Run residentClient(String hosts, List<String> argv) throws Exception {
        Map<String, String> env = jobEnv(hosts);
        env.put("PATH", masq + ":/usr/bin:/bin");
        env.put("JDISTCC_HUB_SOCKET", socket.toString());
        env.put("JDISTCC_JAVA", "/bin/false");
        env.put("JDISTCC_NO_HUB", "1");
        env.remove("JDISTCC_TOOLCHAIN_INDEX"); // the resident path uses the hub's in-memory index
        env.put("HOME", env.get("DISTCC_DIR"));
        env.put("LANG", "C");
        // The link's path: ProcessBuilder searches the JVM's PATH, not the child's, and would find the real gcc.
        List<String> cmd = new ArrayList<>(argv);
        cmd.set(0, masq.resolve(argv.getFirst()).toString());
        return Run.clean(project, env, cmd);
    }

    static byte[] local(List<String> argv, String out) throws Exception {
        List<String> cmd = new ArrayList<>(argv);
        cmd.addAll(List.of("-o", out));
        Run r = Run.of(project, Map.of(), cmd);
        assertEquals(0, r.exit(), r.stderr());
        byte[] o = Files.readAllBytes(project.resolve(out));
        Files.delete(project.resolve(out));
        return o;
    }

    static byte[] object(Run r, String out, String what) throws Exception {
        assertEquals(0, r.exit(), what + " failed: " + r.stderr() + "\nvolunteer log:\n" + volunteer.logText());
        byte[] o = Files.readAllBytes(project.resolve(out));
        Files.delete(project.resolve(out));
        return o;
    }

    static String volunteerHost() {
        return "127.0.0.1:" + volunteer.port + ",lz4";
    }

    static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void plainClientNamesTheGccToolchainAndTheVolunteerCompilesCWithItByteIdentically() throws Exception {
        String gcc = HubSupport.digestFor(hub, "gcc").shortForm();
        List<String> argv = List.of("gcc", "-O2", "-g", "-Iinclude", "-c", "src/hello.c");
        long before = count(volunteer.logText(), "runs toolchain " + gcc + " (named by the client)");
        Run r = plainClient(volunteerHost(), concat(argv, "-o", "out/plain.o"));
        assertArrayEquals(local(argv, "out/plain-local.o"), object(r, "out/plain.o", "the plain client"));
        assertTrue(r.stderr().contains("is toolchain " + gcc), r.stderr());
        assertFalse(r.stderr().contains("refused toolchain"), r.stderr());
        String log = HubSupport.awaitLog(volunteer, "runs toolchain " + gcc + " (named by the client)");
        assertTrue(count(log, "runs toolchain " + gcc + " (named by the client)") > before, log);
    }

    @Test
    void plainClientNamesTheToolchainForCxxTooAndTheObjectEqualsTheLocalOne() throws Exception {
        String gcc = HubSupport.digestFor(hub, "g++").shortForm();
        List<String> argv = List.of("g++", "-O2", "-Wall", "-Iinclude", "-c", "src/shapes.cpp");
        Run r = plainClient(volunteerHost(), concat(argv, "-o", "out/plainxx.o"));
        assertArrayEquals(local(argv, "out/plainxx-local.o"), object(r, "out/plainxx.o", "the plain client"));
        assertTrue(r.stderr().contains("is toolchain " + gcc), r.stderr());
        HubSupport.awaitLog(volunteer, "g++ runs toolchain " + gcc + " (named by the client)");
    }

    @Test
    void aRegisteredVolunteerListedAsTheHubsHostsFileListsItIsStillSentTheToolchainByTheResidentPath()
            throws Exception {
        String gcc = HubSupport.digestFor(hub, "gcc").shortForm();
        String named = "runs toolchain " + gcc + " (named by the client)";
        for (int i = 0; i < 300 && hub.registry().live().stream().noneMatch(v -> v.port() == volunteer.port); i++) {
            Thread.sleep(100);
        }
        String listed = hub.registry().live().stream().filter(v -> v.port() == volunteer.port).findFirst()
                .orElseThrow().distccHostSpec();
        assertTrue(listed.endsWith(",lzo"), listed);
        Thread.sleep(1100);   // the scheduler's view of the registry is refreshed once a second (RegistryLocality)
        long before = count(volunteer.logText(), named);
        List<String> c = List.of("gcc", "-O2", "-g", "-Iinclude", "-c", "src/hello.c");
        Run rc = residentClient(listed, concat(c, "-o", "out/reg.o"));
        assertArrayEquals(local(c, "out/reg-local.o"), object(rc, "out/reg.o", "the resident path, hub-listed host"));
        for (int i = 0; i < 100 && count(volunteer.logText(), named) < before + 1; i++) {
            Thread.sleep(100);
        }
        assertEquals(before + 1, count(volunteer.logText(), named), volunteer.logText());
    }

    @Test
    void residentPathNamesTheToolchainForCAndCxxAndObjectsEqualLocalCompiles() throws Exception {
        String gcc = HubSupport.digestFor(hub, "gcc").shortForm();
        String named = "runs toolchain " + gcc + " (named by the client)";
        long before = count(volunteer.logText(), named);
        List<String> c = List.of("gcc", "-O2", "-g", "-Iinclude", "-c", "src/hello.c");
        Run rc = residentClient(volunteerHost(), concat(c, "-o", "out/res.o"));
        assertArrayEquals(local(c, "out/res-local.o"), object(rc, "out/res.o", "the resident path"));
        List<String> cxx = List.of("g++", "-O2", "-Wall", "-Iinclude", "-c", "src/shapes.cpp");
        Run rx = residentClient(volunteerHost(), concat(cxx, "-o", "out/resxx.o"));
        assertArrayEquals(local(cxx, "out/resxx-local.o"), object(rx, "out/resxx.o", "the resident path"));
        for (int i = 0; i < 100 && count(volunteer.logText(), named) < before + 2; i++) {
            Thread.sleep(100);
        }
        assertEquals(before + 2, count(volunteer.logText(), named), volunteer.logText());
    }

    @Test
    void stockDistccdIsNeverSentTheToolchainAndStillCompilesThroughBothPaths() throws Exception {
        List<String> argv = List.of("gcc", "-O2", "-g", "-Iinclude", "-c", "src/hello.c");
        byte[] expected = local(argv, "out/stock-local.o");
        String hosts = "127.0.0.1:" + stock.port + ",lzo";
        Run plain = plainClient(hosts, concat(argv, "-o", "out/stock-plain.o"));
        assertArrayEquals(expected, object(plain, "out/stock-plain.o", "the plain client to stock distccd"));
        Run res = residentClient(hosts, concat(argv, "-o", "out/stock-res.o"));
        assertArrayEquals(expected, object(res, "out/stock-res.o", "the resident path to stock distccd"));
        for (Run r : List.of(plain, res)) {
            assertFalse(r.stderr().contains("is toolchain"), "no toolchain is looked up for a stock host: " + r.stderr());
            assertFalse(r.stderr().contains("failed to distribute"), r.stderr());
        }
        String log = Files.readString(work.resolve("stock/stock.log"));
        assertTrue(count(log, "COMPILE_OK") >= 2, log);
    }

    @Test
    void aarch64ToolchainPublishedLaterIsFetchedOnceOnDemandForConcurrentNamedJobs() throws Exception {
        hubCompilers.add("aarch64-linux-gnu-gcc");
        hub.store().rescan();
        feed.refresh();
        String arm = HubSupport.digestFor(hub, "aarch64-linux-gnu-gcc").shortForm();
        assertFalse(volunteer.logText().contains("fetching toolchain " + arm), "not fetched before it is asked for");
        List<String> argv = List.of("aarch64-linux-gnu-gcc", "-O2", "-g", "-Iinclude", "-c", "src/hello.c");
        byte[] expected = local(argv, "out/arm-local.o");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Run> a = pool.submit(() -> plainClient(volunteerHost(), concat(argv, "-o", "out/arm1.o")));
            Future<Run> b = pool.submit(() -> residentClient(volunteerHost(), concat(argv, "-o", "out/arm2.o")));
            assertArrayEquals(expected, object(a.get(), "out/arm1.o", "the plain client (aarch64)"));
            assertArrayEquals(expected, object(b.get(), "out/arm2.o", "the resident path (aarch64)"));
        } finally {
            pool.shutdownNow();
        }
        String log = HubSupport.awaitLog(volunteer, "runs toolchain " + arm + " (named by the client)");
        assertEquals(1, count(log, "fetching toolchain " + arm), "one download for both jobs:\n" + log);
        assertEquals(2, count(log, "runs toolchain " + arm + " (named by the client)"), log);
    }

    static List<String> concat(List<String> argv, String... more) {
        List<String> l = new ArrayList<>(argv);
        l.addAll(List.of(more));
        return l;
    }
}
