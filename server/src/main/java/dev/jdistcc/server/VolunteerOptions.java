package dev.jdistcc.server;

import dev.jdistcc.server.volunteer.VolunteerConfig;
import dev.jdistcc.toolchain.sign.TrustedKey;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/** Turns the --hub family of {@link DistccdCommand} options into a {@link VolunteerConfig}, or says what is wrong. */
final class VolunteerOptions {
    private VolunteerOptions() {
    }

    static VolunteerConfig parse(DistccdCommand c) {
        URI hub = hubUrl(c.hub);
        if ((c.trust == null) == (c.trustFile == null)) {
            throw new IllegalArgumentException("--hub needs the hub's key: exactly one of --trust ed25519:KEY or"
                    + " --trust-file FILE (the hub prints it with `jdistcc-hub key`)");
        }
        TrustedKey key;
        try {
            key = TrustedKey.parse(c.trust != null ? c.trust : readKey(c));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((c.trust != null ? "--trust: " : "--trust-file " + c.trustFile + ": ")
                    + e.getMessage());
        }
        long budget = c.toolchainCacheBudget == null ? VolunteerConfig.DEFAULT_BUDGET
                : VolunteerConfig.parseSize(c.toolchainCacheBudget);
        if (c.advertisePort != null && (c.advertisePort < 1 || c.advertisePort > 65535)) {
            throw new IllegalArgumentException("--advertise-port " + c.advertisePort + " is out of range (1-65535)");
        }
        if (c.advertiseAddress != null && !c.advertiseAddress.matches("[0-9A-Za-z.:%-]{1,255}")) {
            throw new IllegalArgumentException("--advertise-address " + c.advertiseAddress + " is not a host name or address");
        }
        if (c.volunteerId != null && !c.volunteerId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--volunteer-id: 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        var cache = c.toolchainCache != null ? c.toolchainCache.toAbsolutePath()
                : VolunteerConfig.defaultCacheDir(Privileges.runningAsRoot(), Map.copyOf(System.getenv()));
        return new VolunteerConfig(hub, key, cache, budget, c.advertiseAddress, c.advertisePort, c.volunteerId,
                VolunteerConfig.FIRST_RETRY, VolunteerConfig.MAX_RETRY, VolunteerConfig.REFRESH);
    }

    private static URI hubUrl(String text) {
        try {
            URI u = new URI(text);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null) {
                throw new IllegalArgumentException("--hub " + text + ": expected http://HOST:PORT/");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--hub " + text + " is not a URL: " + e.getMessage());
        }
    }

    /** The first line of the file that is neither empty nor a # comment. */
    private static String readKey(DistccdCommand c) {
        try {
            return Files.readAllLines(c.trustFile, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--trust-file " + c.trustFile + " holds no key"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --trust-file " + c.trustFile + ": " + e.getMessage());
        }
    }
}
