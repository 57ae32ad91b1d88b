import dev.jdistcc.protocol.Compression;
import dev.jdistcc.protocol.Limits;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints one markdown table row per file: plain, LZO and LZ4 body sizes as the codec puts them on the wire,
 * and each algorithm's compress + decompress time per body (median of repeated runs after warm-up).
 */
public class WireBytes {
    public static void main(String[] args) throws Exception {
        for (String a : args) {
            String[] kv = a.split("=", 2);
            byte[] plain = Files.readAllBytes(Path.of(kv[1]));
            int lzo = Compression.LZO.compress(plain).length;
            int lz4 = Compression.LZ4.compress(plain).length;
            System.out.printf("| %s | %d | %d (%.1f%%), %.2f ms | %d (%.1f%%), %.2f ms |%n", kv[0], plain.length,
                    lzo, 100.0 * lzo / plain.length, roundTripMs(Compression.LZO, plain),
                    lz4, 100.0 * lz4 / plain.length, roundTripMs(Compression.LZ4, plain));
        }
    }

    private static double roundTripMs(Compression c, byte[] plain) throws Exception {
        long[] t = new long[41];
        for (int i = 0; i < 200 + t.length; i++) {
            long t0 = System.nanoTime();
            c.decompress(c.compress(plain), Limits.DEFAULT);
            if (i >= 200) {
                t[i - 200] = System.nanoTime() - t0;
            }
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2] / 1e6;
    }
}
