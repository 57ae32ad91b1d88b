package dev.jdistcc.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine-wide figures of the --stats page, read as distccd reads them on Linux: load averages, a /proc
 * scan for processes in state D and the largest resident set (kB, with the process name in parentheses),
 * disk sectors per second from /proc/diskstats, and free space under $TMPDIR.
 */
final class HostProbe {
    private static final Path PROC = Path.of("/proc");
    private final Path tmpDir;
    private long lastIoSectors = -1;
    private long lastIoMillis;
    private int ioRate = -1;

    HostProbe(Path tmpDir) {
        this.tmpDir = tmpDir;
    }

    synchronized StatsPage.Host probe(int maxKids, int currentLoad, long now) {
        int[] dAndRss = new int[2];
        String[] rssName = {"none"};
        scanProcesses(dAndRss, rssName);
        updateIoRate(now);
        return new StatsPage.Host(maxKids, currentLoad, loadAverage(), dAndRss[0], dAndRss[1], rssName[0], ioRate,
                freeSpaceMb());
    }

    private static double[] loadAverage() {
        double[] l = new double[3];
        try {
            String[] f = Files.readString(PROC.resolve("loadavg")).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                l[i] = Double.parseDouble(f[i]);
            }
        } catch (IOException | RuntimeException e) {
            // leave zeros, as getloadavg failing does
        }
        return l;
    }

    private static void scanProcesses(int[] dAndRss, String[] rssName) {
        long pageKb = 4;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                int open = stat.indexOf('(');
                if (open < 0 || close < open) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                if (f.length < 22) {
                    continue;
                }
                if (f[0].equals("D")) {
                    dAndRss[0]++;
                }
                long rss = Long.parseLong(f[21]) * pageKb;
                if (rss > dAndRss[1]) {
                    dAndRss[1] = (int) Math.min(rss, Integer.MAX_VALUE);
                    rssName[0] = stat.substring(open, close + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: report zeros
        }
    }

    private void updateIoRate(long now) {
        if (lastIoSectors >= 0 && now - lastIoMillis < 50_000) {
            return;
        }
        long sectors = 0;
        try {
            for (String line : Files.readAllLines(PROC.resolve("diskstats"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9) {
                    sectors += Long.parseLong(f[5]) + Long.parseLong(f[9]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (lastIoSectors >= 0 && now > lastIoMillis) {
            ioRate = (int) ((sectors - lastIoSectors) * 1000 / (now - lastIoMillis));
        }
        lastIoSectors = sectors;
        lastIoMillis = now;
    }

    private long freeSpaceMb() {
        try {
            return Files.getFileStore(tmpDir).getUsableSpace() / (1024 * 1024);
        } catch (IOException e) {
            return -1;
        }
    }
}
