package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.airlift.compress.v3.lzo.LzoCompressor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * The codec runs inside the compiler wrapper, whose stderr build tools show to users: it must not make the
 * JVM print anything. JDK 25 warns on the first sun.misc.Unsafe memory access, which aircompressor's LZO
 * makes, so the launchers (distribution/src/bin) pass {@link #LAUNCHER_FLAG}. Runs the codec in a fresh
 * JVM with only its runtime classpath.
 */
class NoJvmWarningsTest {

    static final String LAUNCHER_FLAG = "--sun-misc-unsafe-memory-access=allow";

    @Test
    void codecWithTheLaunchersFlagsMakesTheJvmPrintNothingOnStderr() throws Exception {
        String[] outErr = runProbe(LAUNCHER_FLAG);
        assertEquals("", outErr[1]);
        assertEquals("ok", outErr[0]);
    }

    @Test
    void withNativeAccessAsTheHubHasLzoCompressionRunsInLiblzo2AndTheJvmPrintsNothing() throws Exception {
        String[] outErr = runProbe(LAUNCHER_FLAG, "--enable-native-access=ALL-UNNAMED", "-Dprobe.lzo=1");
        assertEquals("", outErr[1]);
        assertEquals("ok native-lzo=true", outErr[0], "liblzo2-2 is installed by scripts/setup-debian");
    }

    @Test
    void withoutTheLauncherFlagJdk25WarnsAboutAircompressorsUnsafe() throws Exception {
        // If this starts failing, aircompressor stopped using Unsafe and the launchers can drop the flag.
        String[] outErr = runProbe();
        assertEquals("ok", outErr[0]);
        assertTrue(outErr[1].contains("sun.misc.Unsafe") && outErr[1].contains("io.airlift.compress"), outErr[1]);
    }

    private static String[] runProbe(String... jvmFlags) throws Exception {
        String cp = String.join(File.pathSeparator, List.of(location(Compression.class), location(LZ4Factory.class),
                location(LzoCompressor.class), location(Probe.class)));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", cp, Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return new String[] {out, err};
    }

    /** The child JVM's program: every compression both ways; references nothing outside the codec. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            byte[] plain = "int main(void) { return 42; } /* some text to compress */\n".repeat(2000)
                    .getBytes(StandardCharsets.US_ASCII);
            for (Compression c : Compression.values()) {
                if (!java.util.Arrays.equals(plain, c.decompress(c.compress(plain), Limits.DEFAULT))) {
                    throw new AssertionError(c + " did not round-trip");
                }
            }
            System.out.print("ok");
            if (System.getProperty("probe.lzo") != null) {
                System.out.print(" native-lzo=" + Compression.nativeLzo());
            }
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
