package dev.taskmanager.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;

/**
 * Bounds a TLS handshake that {@code HttpURLConnection} would otherwise let run forever: it
 * applies its read timeout to the handshake, and the CLI's is infinite (so that {@code wait} can
 * wait as long as the task runs), so a peer that accepts the connection and never answers the
 * ClientHello (a plain-HTTP server waiting for a request line, a black hole) would hang the
 * command.
 *
 * <p>How: the connection is given this factory. It implements no unconnected
 * {@code createSocket()}, so {@code HttpsURLConnection} connects a plain socket itself and then
 * layers TLS over it through {@link #createSocket(Socket, String, int, boolean)}, delegating to
 * the real factory (trust, SNI and host name verification unchanged). That call starts a daemon
 * thread which closes the plain socket unless {@link #finish()} is called within the bound;
 * closing the plain socket (not the TLS one, whose close could wait for the handshake's locks)
 * makes the blocked handshake fail at once, and {@code finish()} tells that it was cut.
 *
 * <p>One instance per {@link RestClient}, not per request: {@code HttpURLConnection} keeps idle
 * connections per socket factory, so a factory per request would open a new connection (and
 * leave an idle one behind) for every request of a {@code tree} walk. A reused connection has no
 * handshake, hence no watch. Used by one requesting thread at a time, plus the watch thread.
 */
final class HandshakeWatchdog extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final Duration bound;
    private final AtomicInteger handshakes = new AtomicInteger();
    private volatile Watch current;

    /** The watch of one handshake. */
    private static final class Watch {
        volatile Thread thread;
        volatile boolean expired;
    }

    HandshakeWatchdog(SSLSocketFactory delegate, Duration bound) {
        this.delegate = delegate;
        this.bound = bound;
    }

    Duration bound() {
        return bound;
    }

    /** How many handshakes were started: one per new connection. */
    int handshakes() {
        return handshakes.get();
    }

    /**
     * Ends the watch of the handshake in progress, if any: call when {@code connect()} returns or
     * fails. Returns whether the bound had passed and the handshake was cut. Idempotent.
     */
    boolean finish() {
        Watch watch = current;
        current = null;
        if (watch == null) {
            return false;
        }
        watch.thread.interrupt();
        return watch.expired;
    }

    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose)
            throws IOException {
        handshakes.incrementAndGet();
        Watch watch = new Watch();
        watch.thread = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
                watch.expired = true;
                plain.close();
            } catch (InterruptedException handshakeOver) {
                // finish() was called: nothing to do
            } catch (IOException e) {
                // the socket is being closed anyway
            }
        }, "taskmanager-tls-handshake-watchdog");
        watch.thread.setDaemon(true);
        current = watch;
        watch.thread.start();
        return delegate.createSocket(plain, host, port, autoClose);
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
