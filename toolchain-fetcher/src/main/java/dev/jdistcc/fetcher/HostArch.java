package dev.jdistcc.fetcher;

import java.util.Locale;

/** This machine's architecture in uname -m spelling, matched against the manifest's hostArch. */
public final class HostArch {
    private HostArch() {
    }

    public static String current() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm" -> "armv7l";
            case "x86", "i386" -> "i686";
            default -> a;
        };
    }
}
