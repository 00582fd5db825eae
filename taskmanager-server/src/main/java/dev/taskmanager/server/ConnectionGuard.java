package dev.taskmanager.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds what a client can hold with connections that send nothing useful (issue 11: 20,000
 * connections sending one header line every 10 s outlived the 30 s idle timeout, which each byte
 * renews, and took every file descriptor).
 *
 * <ul>
 *   <li><b>Request head time</b>, like nginx's {@code client_header_timeout}: a new connection must
 *       deliver its first request's line and headers within the bound, and on a kept-alive
 *       connection the bound starts again when the first byte of the next request arrives (between
 *       requests only the idle timeout applies). A connection past the bound is closed without an
 *       answer. Heads are checked by a sweep every quarter of the bound (at most every second), so a
 *       head is cut between the bound and the bound plus one sweep.</li>
 *   <li><b>Connections per client address</b>: one more than the limit is closed as soon as it
 *       opens, before anything is read.</li>
 * </ul>
 * The total number of connections is bounded separately by Jetty's {@code NetworkConnectionLimit},
 * which stops accepting at the limit so that new clients wait in the listen backlog.
 *
 * <p>It is a {@link Connection.Listener} on the HTTP connection factory (so it sees the connections
 * that carry requests, under TLS too), a {@link #handler wrapper} around the server's handler that
 * tells it when a request is being handled, and a life cycle that runs the sweep on the server's
 * scheduler. Thread-safe.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

    private final long headTimeoutNanos;
    private final long sweepNanos;
    private final int maxPerAddress;
    private final Scheduler scheduler;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong headTimeouts = new AtomicLong();
    private final AtomicLong refusedByAddress = new AtomicLong();
    private volatile long lastSweepNanos;
    private volatile Scheduler.Task sweep;

    ConnectionGuard(Duration headTimeout, int maxPerAddress, Scheduler scheduler) {
        this.headTimeoutNanos = headTimeout.toNanos();
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), headTimeoutNanos / 4));
        this.maxPerAddress = maxPerAddress;
        this.scheduler = scheduler;
    }

    /** What the guard knows of one connection. */
    private static final class Watch {
        final InetAddress address;
        final AtomicInteger handling = new AtomicInteger();
        /** When the current request head began arriving; 0 while none is (handling, or idle and silent). */
        volatile long headStartNanos;
        /** Bytes received when the connection last went idle: more means a new head has begun. */
        volatile long bytesAtIdle;

        Watch(InetAddress address, long now) {
            this.address = address;
            this.headStartNanos = now;
        }
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection.getEndPoint().getRemoteSocketAddress());
        watched.put(connection, new Watch(address, System.nanoTime()));
        int count = address == null ? 0 : perAddress.merge(address, 1, Integer::sum);
        if (count > maxPerAddress) {
            refusedByAddress.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "Closing a connection from {0}: it has {1} open, the limit is {2}",
                    address, count - 1, maxPerAddress);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Watch watch = watched.remove(connection);
        if (watch != null && watch.address != null) {
            perAddress.computeIfPresent(watch.address, (address, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Wraps the server's handler so that the guard knows which connections are handling a request. */
    Handler handler(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Connection connection = request.getConnectionMetaData().getConnection();
                Watch watch = watched.get(connection);
                if (watch == null) {
                    return super.handle(request, response, callback);
                }
                watch.handling.incrementAndGet();
                watch.headStartNanos = 0;
                boolean handled = false;
                try {
                    handled = super.handle(request, response, new Callback.Nested(callback) {
                        @Override
                        public void succeeded() {
                            idle(connection, watch);
                            super.succeeded();
                        }

                        @Override
                        public void failed(Throwable failure) {
                            idle(connection, watch);
                            super.failed(failure);
                        }
                    });
                    return handled;
                } finally {
                    if (!handled) {
                        idle(connection, watch); // Jetty answers 404 with the original callback
                    }
                }
            }
        };
    }

    /** Marks the connection idle before Jetty moves on to a pipelined request that may follow. */
    private static void idle(Connection connection, Watch watch) {
        watch.bytesAtIdle = connection.getBytesIn();
        watch.handling.decrementAndGet();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        super.doStop();
    }

    private void scheduleSweep() {
        if (isRunning() || isStarting()) {
            sweep = scheduler.schedule(this::sweep, sweepNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes every connection whose request head has taken longer than the bound. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<Connection, Watch> entry : watched.entrySet()) {
                Connection connection = entry.getKey();
                Watch watch = entry.getValue();
                if (watch.handling.get() > 0) {
                    continue;
                }
                long started = watch.headStartNanos;
                if (started == 0) {
                    if (connection.getBytesIn() > watch.bytesAtIdle) {
                        watch.headStartNanos = now; // the next head began since the last sweep
                    }
                } else if (now - started > headTimeoutNanos && watch.handling.get() == 0) {
                    headTimeouts.incrementAndGet();
                    LOG.log(System.Logger.Level.DEBUG, "Closing a connection from {0}: its request head took "
                            + "longer than {1} ms", watch.address, TimeUnit.NANOSECONDS.toMillis(headTimeoutNanos));
                    connection.getEndPoint().close();
                }
            }
            lastSweepNanos = now;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Request head sweep failed; it runs again", e);
        } finally {
            scheduleSweep();
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : null;
    }

    /** How many connections were closed for a slow request head; for tests and monitoring. */
    long headTimeouts() {
        return headTimeouts.get();
    }

    /** How many connections were closed for exceeding the per-address limit; for tests and monitoring. */
    long refusedByAddress() {
        return refusedByAddress.get();
    }

    /** How many connections are open from {@code address} now. */
    int openFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** When the last sweep ran, on {@link System#nanoTime()}'s scale; for tests. */
    long lastSweepNanos() {
        return lastSweepNanos;
    }
}
