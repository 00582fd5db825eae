package dev.taskmanager.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/**
 * Bounds a TLS handshake that {@code HttpURLConnection} would otherwise let run forever: it
 * applies its read timeout to the handshake, and the CLI's is infinite (so that {@code wait} can
 * wait as long as the task runs), so a peer that accepts the connection and never answers the
 * ClientHello (a plain-HTTP server waiting for a request line, a black hole) would hang the
 * command.
 *
 * <p>How: the connection is given this factory for one request. It implements no unconnected
 * {@code createSocket()}, so {@code HttpsURLConnection} connects a plain socket itself and then
 * layers TLS over it through {@link #createSocket(Socket, String, int, boolean)}, delegating to
 * the real factory (trust, SNI and host name verification unchanged). That call starts a daemon
 * thread which closes the plain socket if {@link #close()} has not been called within the bound;
 * closing the plain socket (not the TLS one, whose close could wait for the handshake's locks)
 * makes the blocked handshake fail at once, and {@link #expired()} tells why. One instance per
 * request, used by the requesting thread and its watchdog.
 */
final class HandshakeWatchdog extends SSLSocketFactory implements AutoCloseable {

    private final SSLSocketFactory delegate;
    private final Duration bound;
    private volatile Thread watchdog;
    private volatile boolean expired;

    HandshakeWatchdog(SSLSocketFactory delegate, Duration bound) {
        this.delegate = delegate;
        this.bound = bound;
    }

    /** Whether the bound passed and the handshake was cut. */
    boolean expired() {
        return expired;
    }

    Duration bound() {
        return bound;
    }

    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose)
            throws IOException {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
                expired = true;
                plain.close();
            } catch (InterruptedException handshakeOver) {
                // close() was called: nothing to do
            } catch (IOException e) {
                // the socket is being closed anyway
            }
        }, "taskmanager-tls-handshake-watchdog");
        thread.setDaemon(true);
        watchdog = thread;
        thread.start();
        return delegate.createSocket(plain, host, port, autoClose);
    }

    /** Stops watching: the handshake is over, one way or the other. */
    @Override
    public void close() {
        Thread thread = watchdog;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    // Sockets connected by the factory itself are not what HttpsURLConnection asks for here.

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("layered sockets only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("layered sockets only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("layered sockets only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
            int localPort) {
        throw new UnsupportedOperationException("layered sockets only");
    }
}
