package dev.jdistcc.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How every compiler is started, decided once at daemon start-up: in its own session and process group
 * ({@code setsid}, as distccd's dcc_new_pgrp), at the --nice level, and, when the daemon runs as root, as an
 * unprivileged user through {@code setpriv --reuid --regid --clear-groups --no-new-privs}.
 *
 * <p>Why per job and not a re-exec of the whole daemon under setpriv: the daemon must keep reading its own
 * class path, pid file and log locations, which root often owns with private permissions (for example a JDK
 * or jars under /root); per-job dropping needs only the compiler and the job directory to be reachable.
 * The job directory is handed to the compiler's user ({@link #chown}); the daemon never follows links in it.
 *
 * @param session programs that exec the compiler command after them: setsid, nice
 * @param drop    the setpriv command that switches to the compiler's user; empty when not running as root
 * @param uid     the compiler's user when dropping privileges, else -1
 * @param gid     the compiler's group when dropping privileges, else -1
 */
public record ProcessPolicy(List<String> session, List<String> drop, int uid, int gid) {

    public ProcessPolicy {
        session = List.copyOf(session);
        drop = List.copyOf(drop);
    }

    /** No wrappers at all (unit tests, and platforms without util-linux). */
    public static final ProcessPolicy DIRECT = new ProcessPolicy(List.of(), List.of(), -1, -1);

    /** What goes in front of the compiler; without the privilege drop when a sandbox does its own. */
    public List<String> prefix(boolean withDrop) {
        List<String> p = new ArrayList<>(session);
        if (withDrop) {
            p.addAll(drop);
        }
        return p;
    }

    /**
     * @param setsid  path of setsid(1), or null to keep the compiler in the daemon's process group
     * @param niceBin path of nice(1), used when {@code nice != 0}
     * @param nice    niceness increment; 0 for none
     * @param setpriv path of setpriv(1), required when {@code uid >= 0}
     */
    public static ProcessPolicy of(Path setsid, Path niceBin, int nice, Path setpriv, int uid, int gid) {
        List<String> p = new ArrayList<>();
        if (setsid != null) {
            p.add(setsid.toString());
        }
        if (nice != 0 && niceBin != null) {
            p.addAll(List.of(niceBin.toString(), "-n", Integer.toString(nice)));
        }
        List<String> d = uid < 0 ? List.of() : List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "--no-new-privs");
        return new ProcessPolicy(p, d, uid, gid);
    }

    public boolean dropsPrivileges() {
        return uid >= 0;
    }

    /** Gives a job directory tree to the compiler's user, never following symlinks. */
    public void chown(Path dir) throws IOException {
        if (!dropsPrivileges()) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
