package dev.jdistcc.image.plan;

import dev.jdistcc.image.PlanException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanParserTest {

    private static final String SHA = "a86e2049672f52354c4536a089203b6c82639420424d31c91cf31a181fd4d8f1";
    private static final String MINIMAL = """
            plan = jdistcc-image/1
            name = t
            source-date-epoch = 1767225600
            deb.linux-image-x = 1.0-1 sha256:%s
            kernel.package = linux-image-x
            kernel.drivers = e1000
            rootfs.files = /bin/busybox
            runtime.jdk = /jdk
            runtime.jdk-version = 25
            runtime.modules = java.base
            app.classpath = server.jar
            init.command = exec java -cp '/opt/jdistcc/lib/*' Main
            outputs = kernel-initrd
            """.formatted(SHA);

    private static ImagePlan parse(String text, Map<String, String> overrides) throws PlanException {
        return PlanParser.parse(text, Path.of("/base"), "test.plan", overrides);
    }

    private static PlanException rejected(String text) {
        return assertThrows(PlanException.class, () -> parse(text, Map.of()));
    }

    @Test
    void everyExamplePlanLoads() throws IOException, PlanException {
        List<Path> examples;
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            examples = s.filter(p -> p.toString().endsWith(".plan")).sorted().toList();
        }
        assertFalse(examples.isEmpty(), "no example plans under image/examples");
        for (Path p : examples) {
            ImagePlan plan = PlanParser.parse(p, Map.of());
            assertTrue(plan.debs().containsKey(plan.kernel().packageName()), p.toString());
            assertFalse(plan.app().classpath().isEmpty(), p.toString());
        }
    }

    @Test
    void minimalPlanGetsDefaultsForOptionalKeys() throws PlanException {
        ImagePlan plan = parse(MINIMAL, Map.of());
        assertEquals("distcc", plan.init().user());
        assertEquals(3632, plan.init().port());
        assertEquals(19, plan.compressionLevel());
        assertEquals(Path.of("/base/server.jar"), plan.app().classpath().getFirst());
        assertEquals(new DebPin("linux-image-x", "1.0-1", SHA), plan.debs().get("linux-image-x"));
    }

    @Test
    void unknownPlanKeyIsRejectedNamingTheKeyAndLine() {
        PlanException e = rejected(MINIMAL + "kernal.drivers = e1000\n");
        assertTrue(e.getMessage().contains("test.plan:14"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'kernal.drivers'"), e.getMessage());
    }

    @Test
    void duplicateKeyIsRejectedNamingBothLines() {
        PlanException e = rejected(MINIMAL + "name = again\n");
        assertTrue(e.getMessage().contains("duplicate key 'name'") && e.getMessage().contains("test.plan:2"), e.getMessage());
    }

    @Test
    void planMustStartWithItsFormatAndVersion() {
        assertTrue(rejected("name = t\n" + MINIMAL).getMessage().contains("first key must be 'plan"));
        PlanException e = rejected(MINIMAL.replace("jdistcc-image/1", "jdistcc-image/2"));
        assertTrue(e.getMessage().contains("unsupported plan format 'jdistcc-image/2'"), e.getMessage());
    }

    @Test
    void missingRequiredKeyIsNamed() {
        PlanException e = rejected(MINIMAL.replace("runtime.modules = java.base\n", ""));
        assertTrue(e.getMessage().contains("'runtime.modules' is missing"), e.getMessage());
    }

    @Test
    void packagePinNeedsAFullSha256() {
        PlanException e = rejected(MINIMAL.replace("sha256:" + SHA, "sha256:abc"));
        assertTrue(e.getMessage().contains("deb.linux-image-x") && e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(rejected(MINIMAL.replace("sha256:" + SHA, "md5:" + SHA)).getMessage().contains("sha256:"));
    }

    @Test
    void kernelPackageMustBePinned() {
        PlanException e = rejected(MINIMAL.replace("kernel.package = linux-image-x", "kernel.package = linux-image-y"));
        assertTrue(e.getMessage().contains("'deb.linux-image-y"), e.getMessage());
    }

    @Test
    void badNumbersAndNamesAreRejected() {
        assertTrue(rejected(MINIMAL + "init.port = 70000\n").getMessage().contains("between 1 and 65535"));
        assertTrue(rejected(MINIMAL + "compression.level = fast\n").getMessage().contains("compression.level"));
        assertTrue(rejected(MINIMAL.replace("name = t", "name = My Image")).getMessage().contains("'name'"));
        assertTrue(rejected(MINIMAL.replace("/bin/busybox", "bin/busybox")).getMessage().contains("absolute"));
    }

    @Test
    void trailingBackslashContinuesAValue() throws PlanException {
        ImagePlan plan = parse(MINIMAL.replace("kernel.drivers = e1000", "kernel.drivers = e1000 \\\n    igb \\\n  r8169"),
                Map.of());
        assertEquals(List.of("e1000", "igb", "r8169"), plan.kernel().drivers());
    }

    @Test
    void overridesReplaceKeysAndAreJustAsStrict() throws PlanException {
        assertEquals(3, parse(MINIMAL, Map.of("compression.level", "3")).compressionLevel());
        PlanException e = assertThrows(PlanException.class, () -> parse(MINIMAL, Map.of("compression", "3")));
        assertTrue(e.getMessage().contains("--set compression") && e.getMessage().contains("unknown key"), e.getMessage());
    }

    @Test
    void classpathListFileIsReadRelativeToItself(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cp.txt"), "a.jar:/abs/b.jar\n");
        ImagePlan plan = PlanParser.parse(MINIMAL.replace("app.classpath = server.jar", "app.classpath = @cp.txt"),
                dir, "p", Map.of());
        assertEquals(List.of(dir.resolve("a.jar"), Path.of("/abs/b.jar")), plan.app().classpath());
    }
}
