package dev.jdistcc.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/** The --version banner: distccd's shape, our name and version; line 2 is the one scripts check. */
final class Banner {
    private Banner() {
    }

    static String text() {
        return "distccd " + version() + " " + hostTriple() + " (jdistcc; wire-compatible with distccd 3.4)\n"
                + "  (protocols 1, 2 and 3) (default port 3632)\n"
                + "  Java " + Runtime.version() + "\n";
    }

    static String version() {
        try (InputStream in = Banner.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The GNU triple distcc prints, e.g. x86_64-pc-linux-gnu. */
    static String hostTriple() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i686" -> "i686";
            default -> arch;
        };
        String vendor = cpu.equals("x86_64") || cpu.equals("i686") ? "pc" : "unknown";
        return cpu + "-" + vendor + "-" + (os.contains("linux") ? "linux-gnu" : os.replace(' ', '-'));
    }
}
