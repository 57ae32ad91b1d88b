package dev.jdistcc.netboot.http;

import dev.jdistcc.netboot.PortInUseException;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A standalone Undertow server for the netboot handler, bound to one address (never the wildcard), so
 * it is reachable only from the interface netboot serves. Port 0 picks a free port.
 */
public final class NetbootHttpServer implements AutoCloseable {

    private final Undertow server;
    private final InetSocketAddress address;

    private NetbootHttpServer(Undertow server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    public static NetbootHttpServer start(InetAddress bind, int port, HttpHandler handler) throws PortInUseException {
        Undertow server = Undertow.builder()
                .addHttpListener(port, bind.getHostAddress())
                .setIoThreads(1)
                .setWorkerThreads(8)
                .setHandler(handler)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.stop();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new PortInUseException("cannot listen for HTTP on " + bind.getHostAddress() + ":" + port
                            + " (" + t.getMessage() + "); another program holds the port. Choose another with"
                            + " --http-port, or 0 for any free port.", e);
                }
            }
            throw e;
        }
        InetSocketAddress actual = (InetSocketAddress) server.getListenerInfo().getFirst().getAddress();
        return new NetbootHttpServer(server, actual);
    }

    public int port() {
        return address.getPort();
    }

    /** {@code http://address:port}, the base the netboot handler is mounted at. */
    public String baseUrl() {
        InetAddress a = address.getAddress();
        String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
