package dev.jdistcc.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.time.Duration;

/** Opens one connection per job to a remote host: TCP, or a pipe pair to {@code ssh HOST distccd --inetd}. */
public interface Transport {

    Connection open(HostSpec.Remote host, Duration ioTimeout) throws RemoteFailure;

    /** One job's byte stream. Never half-closed: distccd kills the job on EOF (reference §1.1). */
    interface Connection extends AutoCloseable {
        InputStream in();

        OutputStream out();

        /** Extra words explaining a failure (e.g. the last line ssh printed), or "" when there are none. */
        default String diagnostics() {
            return "";
        }

        /**
         * From now on, how long one read may wait for the server (the default leaves DISTCC_IO_TIMEOUT). A
         * resident scheduler shortens it once the input is sent, to catch a stalled host sooner.
         */
        default void replyTimeout(Duration timeout) {
        }

        /**
         * Sends {@code count} bytes of {@code file} from its position 0 straight to the peer, after anything
         * already written to {@link #out()} (which the caller has flushed), without copying them through this
         * process where the transport can (sendfile(2) for TCP). False when this transport cannot, so the
         * caller writes them through {@link #out()}.
         */
        default boolean transferFile(FileChannel file, long count) throws IOException {
            return false;
        }

        @Override
        void close() throws IOException;
    }

    /** The transport for a host: TCP hosts over sockets, {@code @host} entries over ssh. */
    static Transport standard(ClientEnv env) {
        return new Standard(new TcpTransport(), new SshTransport(env.sshCommand()));
    }

    /** Dispatches on the host kind. */
    record Standard(Transport tcp, Transport ssh) implements Transport {
        @Override
        public Connection open(HostSpec.Remote host, Duration ioTimeout) throws RemoteFailure {
            return host instanceof HostSpec.Ssh ? ssh.open(host, ioTimeout) : tcp.open(host, ioTimeout);
        }
    }
}
