package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.SourceInput;
import dev.jdistcc.protocol.WireVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core API without sockets, through a custom {@link CompilerResolver} as a toolchain store would plug in. */
class CompileServiceTest {
    @TempDir
    Path tmp;

    final AtomicInteger released = new AtomicInteger();
    final List<List<String>> wrapped = new ArrayList<>();

    CompilerResolver resolver(Duration deadline) {
        Sandbox sandbox = (command, dirs) -> {
            wrapped.add(command);
            List<String> c = new ArrayList<>(List.of("/usr/bin/env", "JDISTCC_SANDBOXED=1"));
            c.addAll(command);
            return c;
        };
        return (header, log) -> new CompilerLaunch(header.argv().getFirst(),
                Optional.of(Path.of("/usr/bin/" + header.argv().getFirst())), Map.of("LC_ALL", "C"), sandbox,
                deadline, false, released::incrementAndGet);
    }

    JobOutcome compile(CompilerResolver r, List<String> argv, byte[] source) throws Exception {
        CompileService service = new CompileService(new CompileService.Settings(tmp, null, false), r,
                ProcessPolicy.DIRECT, System.getenv());
        JobLog log = new JobLog(ServerLog.DISCARD, 1);
        try (PreparedJob job = service.prepare(RequestHeader.of(WireVersion.V2, argv), log)) {
            return service.run(job, new SourceInput.Preprocessed(source), new CompletableFuture<>(), log);
        }
    }

    @Test
    void resolverSandboxWrapsTheCompilerAndItsLeaseIsReleasedOnce() throws Exception {
        Tools.requireCompilers();
        JobOutcome o = compile(resolver(null), List.of("gcc", "-c", "a.c", "-o", "a.o"),
                "int a(void) { return 1; }\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(JobResult.COMPILE_OK, o.result());
        assertTrue(o.response().object().length > 0);
        assertEquals("/usr/bin/gcc", wrapped.getFirst().getFirst());
        assertTrue(wrapped.getFirst().contains("-o"));
        assertEquals(1, released.get());
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "job directories are removed");
        }
    }

    @Test
    void resolverDeadlineBoundsTheCompile() throws Exception {
        Tools.requireCompilers();
        Path proj = Fixtures.project(Files.createDirectories(tmp.resolveSibling(tmp.getFileName() + "-proj")));
        byte[] slow = Run.of(proj, Map.of(), List.of("g++", "-DSLOW_N=3000000ULL", "-E", "src/slow.cpp")).stdout()
                .getBytes(StandardCharsets.UTF_8);
        JobOutcome o = compile(resolver(Duration.ofMillis(300)), FaultTest.SLOW_ARGV, slow);
        assertEquals(JobResult.COMPILE_TIMEOUT, o.result());
        assertEquals(118 << 8, o.response().status());
        assertEquals(1, released.get());
    }
}
