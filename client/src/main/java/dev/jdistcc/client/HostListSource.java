package dev.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the host list comes from, first match wins (reference §2.8): {@code $DISTCC_HOSTS} (even if set but
 * empty), {@code $DISTCC_DIR/hosts}, then {@code /etc/distcc/hosts}. Re-read for every job.
 */
public final class HostListSource {
    static final Path SYSTEM_HOSTS = Path.of("/etc/distcc/hosts");

    private HostListSource() {
    }

    public static HostList load(ClientEnv env, long seed) throws HostListException {
        return load(env, seed, SYSTEM_HOSTS);
    }

    static HostList load(ClientEnv env, long seed, Path systemHosts) throws HostListException {
        String fromEnv = env.env().get("DISTCC_HOSTS");
        if (fromEnv != null) {
            return HostListParser.parse(fromEnv, "$DISTCC_HOSTS", seed);
        }
        for (Path p : new Path[] {env.distccDir().resolve("hosts"), systemHosts}) {
            if (Files.isReadable(p)) {
                try {
                    return HostListParser.parse(Files.readString(p), p.toString(), seed);
                } catch (IOException e) {
                    throw new HostListException("failed to read " + p + ": " + e.getMessage());
                }
            }
        }
        throw new HostListException("no hostlist is set; can't distribute work", true);
    }
}
