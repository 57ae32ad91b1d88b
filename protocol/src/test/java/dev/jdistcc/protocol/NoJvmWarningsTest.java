package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * The codec runs inside the compiler wrapper, whose stderr build tools show to users: it must not make the
 * JVM print anything (JDK 25 warns on first use of sun.misc.Unsafe memory access, which aircompressor's LZO
 * and lz4-java's unsafe instance use). Runs the codec in a fresh JVM with only its runtime classpath.
 */
class NoJvmWarningsTest {

    @Test
    void codecMakesTheJvmPrintNothingOnStderr() throws Exception {
        String cp = String.join(File.pathSeparator, List.of(
                location(Compression.class), location(LZ4Factory.class), location(Probe.class)));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", cp, Probe.class.getName()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("", err);
        assertEquals("ok", out);
        assertEquals(0, p.exitValue());
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
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
