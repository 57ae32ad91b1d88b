package dev.jdistcc.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * "Never compile as root" (reference §3.2 step 6): when the daemon runs as root, compilers run as --user,
 * else {@code distccd} (Debian's account), else {@code nobody}, through setpriv(1). See {@link ProcessPolicy}.
 */
final class Privileges {
    record Account(String name, int uid, int gid) {
    }

    private Privileges() {
    }

    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** The account compilers run as; the explicit --user must exist. */
    static Account choose(String user) throws StartupFailure {
        List<String> candidates = new ArrayList<>();
        if (user != null) {
            candidates.add(user);
        } else {
            candidates.addAll(List.of("distccd", "distcc", "nobody"));
        }
        for (String name : candidates) {
            Account a = lookup(name);
            if (a != null) {
                if (a.uid() == 0) {
                    throw new StartupFailure(StartupFailure.SETUID_FAILED, "refusing to run compilers as root (user "
                            + name + " has uid 0); choose another --user");
                }
                return a;
            }
        }
        if (user != null) {
            throw new StartupFailure(StartupFailure.SETUID_FAILED, "--user " + user + ": no such user");
        }
        return new Account("65534", 65534, 65534);
    }

    /** A user from /etc/passwd (name or numeric uid), or null. */
    static Account lookup(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 4 && (f[0].equals(name) || f[2].equals(name))) {
                    return new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** An executable on the daemon's PATH or in the usual system directories, or null. */
    static Path findTool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
