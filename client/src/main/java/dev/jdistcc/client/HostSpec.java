package dev.jdistcc.client;

import dev.jdistcc.protocol.WireVersion;

/** One entry of a distcc host list (reference §2.8). {@code spec} is the token exactly as written. */
public sealed interface HostSpec {
    String spec();

    int slots();

    /** Short name for logs and lock files ("localhost", "HOST:PORT", "HOST"). */
    String displayName();

    /** {@code localhost[/N]}: run on this machine, under the cpu_localhost_N locks. */
    record Local(String spec, int slots) implements HostSpec {
        @Override
        public String displayName() {
            return "localhost";
        }
    }

    /** A remote host, reached over TCP or through ssh. */
    sealed interface Remote extends HostSpec {
        String host();

        HostOptions options();

        /** The DIST value to send for an input that is not already preprocessed and with no cpp override. */
        default WireVersion version() {
            return options().version();
        }
    }

    /** {@code HOST[:PORT][/N][,opts]} or {@code [V6ADDR][:PORT][/N][,opts]}. */
    record Tcp(String spec, String host, int port, int slots, HostOptions options) implements Remote {
        @Override
        public String displayName() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** {@code [USER]@HOST[/N][:COMMAND][,opts]}: the protocol over {@code ssh HOST distccd --inetd}. */
    record Ssh(String spec, String user, String host, String command, int slots, HostOptions options)
            implements Remote {
        @Override
        public String displayName() {
            return host;
        }
    }

    /**
     * The comma options. {@code cpp} is accepted but, since no include server runs here, such hosts get
     * protocol 2 (the demotion of reference §1.3). {@code lz4} selects the jdistcc extension and is only
     * ever sent to hosts the user marked so.
     */
    record HostOptions(boolean lzo, boolean cpp, boolean lz4, boolean down, boolean auth) {
        public static final HostOptions NONE = new HostOptions(false, false, false, false, false);

        public WireVersion version() {
            if (lz4) {
                return WireVersion.extension(WireVersion.FEATURE_LZ4);
            }
            return lzo ? WireVersion.V2 : WireVersion.V1;
        }
    }
}
