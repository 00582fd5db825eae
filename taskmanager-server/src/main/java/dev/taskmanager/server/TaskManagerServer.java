package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.jetty12.server.TimedHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A standalone HTTP server exposing a {@link TaskManager} through the ScyllaDB-compatible REST API
 * (SPEC §12), and optionally the test API (SPEC §13): Jetty 12 with one HTTP/1.1 connector and the
 * {@linkplain TaskManagerApi API handler}.
 *
 * <pre>{@code
 * try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).build().start()) {
 *     URI api = server.uri();   // http://127.0.0.1:<port>
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> The server borrows the task manager unless the builder says
 * {@link Builder#ownsTaskManager(boolean) ownsTaskManager(true)}; only then does {@link #close()}
 * close it (stopping every module, with the manager's stop bound). {@code serve} owns its manager;
 * a service that shares its manager with other code does not.
 *
 * <p><b>Limits.</b> The request line and headers together may take {@value #MAX_REQUEST_HEADER_BYTES}
 * bytes: past that Jetty answers 414 (URI too long) or 431 (headers too large). A declared body over
 * 64 KiB is answered 413 (requests carry no body). Every such answer has the JSON error body. Idle
 * connections close after the {@linkplain Builder#idleTimeout idle timeout}, except while a
 * {@code wait_task} is pending on them. A request's line and headers must arrive within the
 * {@linkplain Builder#requestHeaderTimeout request header timeout}; connections are limited in total
 * and per client address ({@link Builder#maxConnections}, {@link Builder#maxConnectionsPerAddress});
 * large answers in number ({@link Builder#maxConcurrentListings}).
 *
 * <p>Thread-safe. Start once; close is idempotent.
 */
public final class TaskManagerServer implements AutoCloseable {
    /** The default bind address: loopback only, so nothing is exposed by accident. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** The default port, ScyllaDB's REST API port, where {@code nodetool} looks. */
    public static final int DEFAULT_PORT = 10000;
    /** The limit on request line plus headers. */
    public static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /** The default bound on receiving one request's line and headers; see {@link Builder#requestHeaderTimeout}. */
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** The default limit on open connections; see {@link Builder#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The default limit on open connections from one client address; see {@link Builder#maxConnectionsPerAddress}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 2_048;

    /** The listen backlog; the kernel caps it at {@code net.core.somaxconn}. */
    static final int ACCEPT_QUEUE_SIZE = 1024;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(50);

    private final TaskManager taskManager;
    private final boolean ownsTaskManager;
    private final String bindAddress;
    private final Server server;
    private final ServerConnector connector;
    private final ApiHandler api;
    private final boolean dashboard;
    private final Tls tls;
    private final List<String> warnings;
    private final ConnectionGuard guard;
    private final NetworkConnectionLimit connectionLimit;
    private final PrometheusMeterRegistry metrics;
    private final List<AutoCloseable> meterBinders = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TaskManagerServer(Builder builder) {
        this.taskManager = builder.taskManager;
        this.ownsTaskManager = builder.ownsTaskManager;
        this.bindAddress = builder.bindAddress;
        this.tls = builder.tls;
        boolean loopback = isLoopback(bindAddress);
        ApiOptions.Builder options = builder.options;
        options.nodeAddress(builder.nodeAddress != null ? builder.nodeAddress : builder.bindAddress);
        if (loopback || builder.allowedHosts != null) {
            // On loopback, answer only names that mean this machine, against DNS rebinding.
            List<String> hosts = new ArrayList<>(builder.allowedHosts != null ? builder.allowedHosts : List.of());
            hosts.add(bindAddress);
            options.allowedHosts(hosts);
        }
        this.metrics = builder.metrics;
        if (metrics != null) {
            options.metrics(metrics);
        }
        ApiOptions built = options.build();
        this.api = new ApiHandler(taskManager, built, true);
        this.dashboard = built.dashboardEnabled();
        this.warnings = warnings(bindAddress, loopback, built.requiresToken(), tls != null);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("taskmanager-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration httpConfiguration = httpConfiguration();
        if (tls != null) {
            // https in the request's scheme (for the origin check); clients may connect by address
            // with a certificate made out to a name, so the SNI name is not matched against Host.
            httpConfiguration.addCustomizer(new SecureRequestCustomizer(false));
        }
        HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration);
        this.guard = new ConnectionGuard(builder.requestHeaderTimeout, builder.maxConnectionsPerAddress,
                server.getScheduler());
        http.addEventListener(guard);
        this.connector = tls == null ? new ServerConnector(server, http)
                : new ServerConnector(server, new SslConnectionFactory(tls.sslContextFactory(), http.getProtocol()), http);
        connector.setName(tls == null ? "http" : "https"); // the connector_name tag of Jetty's connection meters
        connector.setHost(bindAddress);
        connector.setPort(builder.port);
        connector.setIdleTimeout(builder.idleTimeout.toMillis());
        // The JDK's default listen backlog is 50: a burst of clients (say, a thousand monitors opening
        // waits at once) would see dropped SYNs and one-second retries.
        connector.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
        server.addConnector(connector);
        // At the limit Jetty stops accepting: new clients wait in the listen backlog, not refused.
        this.connectionLimit = new NetworkConnectionLimit(builder.maxConnections, connector);
        server.addBean(connectionLimit);
        server.addBean(guard);
        GracefulHandler graceful = new GracefulHandler(api);
        // On stop, idle keep-alive connections are closed after this long (Jetty's default is a second).
        graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
        Handler served = graceful;
        if (metrics != null) {
            served = bindServerMetrics(graceful, threads, builder.jvmMetrics);
            for (MeterBinder binder : builder.meterBinders) {
                binder.bindTo(metrics);
                if (binder instanceof AutoCloseable) {
                    meterBinders.add((AutoCloseable) binder);
                }
            }
        }
        server.setHandler(guard.handler(served));
        server.setErrorHandler(new JsonErrorHandler(api.router()));
        server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
    }

    /**
     * Binds the HTTP server's meters (requests by route template, connections, the thread pool) and,
     * if asked, the JVM's, and wraps {@code next} in the request timer.
     */
    private Handler bindServerMetrics(Handler next, QueuedThreadPool threads, boolean jvm) {
        TimedHandler timed = new TimedHandler(metrics, Tags.empty(), new RouteTags());
        timed.setHandler(next);
        JettyConnectionMetrics.addToAllConnectors(server, metrics);
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(metrics);
        if (jvm) {
            new ClassLoaderMetrics().bindTo(metrics);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new ProcessorMetrics().bindTo(metrics);
            new UptimeMetrics().bindTo(metrics);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(metrics);
            meterBinders.add(gc); // holds GC notification listeners until closed
        }
        return timed;
    }

    /**
     * The HTTP settings of the API's connector. Public only so that a benchmark can build its
     * fixed-body floor on exactly the same stack; not meant for other uses.
     */
    public static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        return http;
    }

    /** A builder for a server exposing {@code taskManager}, which it borrows unless told otherwise. */
    public static Builder builder(TaskManager taskManager) {
        return new Builder(Objects.requireNonNull(taskManager, "taskManager"));
    }

    private static boolean isLoopback(String address) {
        try {
            InetAddress[] resolved = InetAddress.getAllByName(address);
            return resolved.length > 0 && Arrays.stream(resolved).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false; // start() reports it
        }
    }

    private static List<String> warnings(String address, boolean loopback, boolean token, boolean tls) {
        List<String> warnings = new ArrayList<>();
        if (!loopback && !token) {
            warnings.add("listening on " + address + " without an auth token: anyone who can reach this address "
                    + "can list, abort and start tasks; set --auth-token-file (and --tls-keystore or --tls-cert)");
        } else if (!loopback && !tls) {
            warnings.add("listening on " + address + " without TLS: the bearer token crosses the network in "
                    + "clear text; set --tls-keystore or --tls-cert/--tls-key");
        }
        return List.copyOf(warnings);
    }

    /**
     * What is unsafe about this server's settings, e.g. a non-loopback address without a token; logged
     * as warnings when it starts. Empty when nothing is.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server, for chaining
     * @throws IOException           if the address cannot be bound (in use, not local, unresolvable);
     *                               the server is then closed
     * @throws IllegalStateException if already started or closed
     */
    public TaskManagerServer start() throws IOException {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("the server was already started" + (closed.get() ? " and closed" : ""));
        }
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            closed.set(true);
            String where = bindAddress + ":" + connector.getPort();
            throw new IOException("cannot listen on " + where + ": " + describe(e), e);
        }
        System.Logger log = System.getLogger(TaskManagerServer.class.getName());
        for (String warning : warnings) {
            log.log(System.Logger.Level.WARNING, warning);
        }
        return this;
    }

    /**
     * Why a start failed, in words: the JDK leaves the message of some exceptions null (an
     * unresolvable host is an {@code UnresolvedAddressException} with no message at all).
     */
    static String describe(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "the address does not resolve: not a known host name or an IP address";
            }
            if (c instanceof UnsupportedAddressTypeException) {
                return "unsupported address type";
            }
        }
        Throwable cause = failure instanceof IOException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return message != null && !message.isBlank() ? message : cause.getClass().getSimpleName();
    }

    /** The port the server listens on: the bound one when built with port 0; -1 before start. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address the server binds to. */
    public String bindAddress() {
        return bindAddress;
    }

    /** Where clients reach the API, e.g. {@code http://127.0.0.1:10000} ({@code https} with TLS). */
    public URI uri() {
        String host = bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        return URI.create((tls != null ? "https" : "http") + "://" + host + ":" + port());
    }

    /**
     * Where the web dashboard is, {@code uri() + "/ui/"} (e.g. {@code http://127.0.0.1:10000/ui/}); empty
     * when it was turned off with {@link Builder#dashboard(boolean) dashboard(false)}.
     */
    public Optional<URI> dashboardUri() {
        return dashboard ? Optional.of(URI.create(uri() + Dashboard.PREFIX + "/")) : Optional.empty();
    }

    /** The task manager the server exposes. */
    public TaskManager taskManager() {
        return taskManager;
    }

    /**
     * The registry served at {@code GET /metrics}, if metrics are on ({@link Builder#metrics}); a part
     * of the server that has meters of its own (an event stream, say) binds them here.
     */
    public Optional<PrometheusMeterRegistry> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** How many {@code wait_task} requests are pending; for monitoring and benchmarks. */
    public int pendingWaits() {
        return api.waiters().pendingCount();
    }

    ApiHandler api() {
        return api;
    }

    ConnectionGuard guard() {
        return guard;
    }

    /** How many connections are open now; for monitoring and tests. */
    public int openConnections() {
        return connectionLimit.getNetworkConnectionCount();
    }

    /**
     * Stops gracefully: stops accepting connections; if the server owns the task manager, closes it
     * (modules stop with the manager's bound, so pending waits on their tasks receive the final
     * status); answers the waits still pending with 503; lets requests in flight finish for up to
     * 5 seconds; then closes the connections and threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (started.get()) {
            connector.close();
        }
        try {
            if (ownsTaskManager) {
                // Test tasks never finish on their own: without this the stop would wait its bound.
                api.finishTestTasks();
                taskManager.close();
            }
        } finally {
            api.closeWaiters();
            stopQuietly();
            for (AutoCloseable binder : meterBinders) {
                try {
                    binder.close();
                } catch (Exception e) {
                    System.getLogger(TaskManagerServer.class.getName())
                            .log(System.Logger.Level.WARNING, "Error while closing " + binder, e);
                }
            }
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            System.getLogger(TaskManagerServer.class.getName())
                    .log(System.Logger.Level.WARNING, "Error while stopping the HTTP server", e);
        }
    }

    /** Configures a {@link TaskManagerServer}. Not thread-safe. */
    public static final class Builder {
        private final TaskManager taskManager;
        private final ApiOptions.Builder options = ApiOptions.builder();
        private boolean ownsTaskManager;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private String nodeAddress;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private List<String> allowedHosts;
        private Tls tls;
        private PrometheusMeterRegistry metrics;
        private boolean jvmMetrics;
        private final List<MeterBinder> meterBinders = new ArrayList<>();

        private Builder(TaskManager taskManager) {
            this.taskManager = taskManager;
        }

        /** Whether {@link #close()} closes the task manager too (default false: it is borrowed). */
        public Builder ownsTaskManager(boolean owns) {
            this.ownsTaskManager = owns;
            return this;
        }

        /**
         * The address to listen on (default {@value #DEFAULT_BIND_ADDRESS}); {@code 0.0.0.0} for every
         * interface.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder bindAddress(String address) {
            if (Objects.requireNonNull(address, "address").isBlank()) {
                throw new IllegalArgumentException("bind address must not be blank");
            }
            this.bindAddress = address;
            return this;
        }

        /**
         * The port to listen on (default {@value #DEFAULT_PORT}); 0 picks a free one, see {@link #port()}.
         *
         * @throws IllegalArgumentException if not from 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Serves the test API of SPEC §13 (default false: it lets any client create and finish tasks). */
        public Builder enableTestApi(boolean enabled) {
            options.enableTestApi(enabled);
            return this;
        }

        /**
         * The address reported as {@code node} in {@code children_ids} (default: the bind address). Set
         * it when binding {@code 0.0.0.0}, to the address clients use.
         */
        public Builder nodeAddress(String address) {
            options.nodeAddress(address); // validates
            this.nodeAddress = address;
            return this;
        }

        /**
         * How long a connection may sit idle before it is closed (default 30 seconds). A pending
         * {@code wait_task} keeps its connection open past this, but its client is checked for at each
         * idle period, so a vanished waiter is dropped within one.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * How long a client may take to send one request's line and headers (default 10 seconds), as
         * nginx's {@code client_header_timeout}: from the connection's opening for its first request,
         * from the first byte of each later one. A connection past it is closed without an answer.
         * The idle timeout alone does not bound this, since every byte renews it.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestHeaderTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("request header timeout must be positive, got " + timeout);
            }
            this.requestHeaderTimeout = timeout;
            return this;
        }

        /**
         * The most connections open at once (default {@value TaskManagerServer#DEFAULT_MAX_CONNECTIONS}).
         * At the limit the server stops accepting; new clients wait in the listen backlog until a
         * connection closes. Keep it under the process's file descriptor limit ({@code ulimit -n}).
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections must be at least 1, got " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * The most connections open at once from one client IP address (default
         * {@value TaskManagerServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}); one more is closed as soon
         * as it opens. Each pending {@code wait_task} holds a connection, so a client that waits on
         * many tasks at once needs as many.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections per address must be at least 1, got " + max);
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /** How many large answers may be written at once; see {@link ApiOptions.Builder#maxConcurrentListings}. */
        public Builder maxConcurrentListings(int max) {
            options.maxConcurrentListings(max);
            return this;
        }

        /**
         * Host names (or addresses) the server answers to besides {@code localhost}, the loopback
         * addresses and the bind address; any other {@code Host} is answered 421. On a loopback
         * bind this check is always on (DNS rebinding); on another address only once hosts are given.
         * See {@link ApiOptions.Builder#allowedHosts}.
         */
        public Builder allowedHosts(Collection<String> hosts) {
            ApiOptions.builder().allowedHosts(hosts); // validates
            this.allowedHosts = List.copyOf(hosts);
            return this;
        }

        /** Whether cross-origin writes are refused (default true); see {@link ApiOptions.Builder#crossOriginChecks}. */
        public Builder crossOriginChecks(boolean enabled) {
            options.crossOriginChecks(enabled);
            return this;
        }

        /** Requires this bearer token on every request; see {@link ApiOptions.Builder#bearerToken}. */
        public Builder authToken(String token) {
            options.bearerToken(token);
            return this;
        }

        /**
         * Requires the bearer token read from {@code file}, which group and others must not be able to
         * access; see {@link ApiOptions.Builder#bearerTokenFile}.
         */
        public Builder authTokenFile(Path file) {
            options.bearerTokenFile(file);
            return this;
        }

        /**
         * Serves HTTPS with the private key and certificate chain of a PKCS#12 or JKS key store.
         * Loaded now, so a wrong password fails here.
         *
         * @throws IllegalArgumentException if the store cannot be opened with the password or holds no key
         */
        public Builder tlsKeyStore(Path keyStore, char[] password) {
            this.tls = Tls.fromKeyStore(Objects.requireNonNull(keyStore, "keyStore"),
                    Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Serves HTTPS with a PEM certificate chain (the server's certificate first) and a PEM PKCS#8
         * private key, which group and others must not be able to access. Loaded now.
         *
         * @throws IllegalArgumentException naming the file and the problem
         */
        public Builder tlsPem(Path certificateChain, Path privateKey) {
            this.tls = Tls.fromPem(Objects.requireNonNull(certificateChain, "certificateChain"),
                    Objects.requireNonNull(privateKey, "privateKey"));
            return this;
        }

        /**
         * Serves {@code registry} at {@code GET /metrics} (Prometheus text format, or OpenMetrics on
         * request; same access rules as the API) and binds to it the task manager's meters, Jetty's
         * request timer ({@code jetty.server.requests}, tagged by route template), connection and
         * thread pool meters. Default: no metrics. {@code serve} turns this on unless
         * {@code --no-metrics}. Meter names: {@code docs/metrics.md}.
         */
        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * With {@link #metrics}, also binds Micrometer's JVM meters (memory, GC, threads, class
         * loading, processor, uptime) to the registry (default false: a service embedding the server
         * usually binds them itself, and binding them twice would count GC pauses twice). The
         * standalone {@code serve} turns it on.
         */
        public Builder jvmMetrics(boolean enabled) {
            this.jvmMetrics = enabled;
            return this;
        }

        /**
         * Meters of another part of the service to publish at {@code /metrics} (the history store's,
         * say): bound to the registry when the server is built if {@link #metrics} are on, ignored
         * otherwise; closed with the server if the binder is {@link AutoCloseable}.
         */
        public Builder meterBinder(MeterBinder binder) {
            meterBinders.add(Objects.requireNonNull(binder, "binder"));
            return this;
        }

        /**
         * Whether the web dashboard is served under {@code /ui/}, with {@code /} redirecting to it
         * (default true); see {@link ApiOptions.Builder#dashboard}.
         */
        public Builder dashboard(boolean enabled) {
            options.dashboard(enabled);
            return this;
        }

        /** Adds an extension endpoint; see {@link ApiOptions.Builder#route}. */
        public Builder route(String method, String path, ExtensionHandler handler) {
            options.route(method, path, handler);
            return this;
        }

        /** Adds a source of tasks besides the live registry; see {@link ApiOptions.Builder#taskSource}. */
        public Builder taskSource(TaskSource source) {
            options.taskSource(source);
            return this;
        }

        /** Describes extension routes in {@code /openapi.json}; see {@link ApiOptions.Builder#openApi}. */
        public Builder openApi(String fragment) {
            options.openApi(fragment);
            return this;
        }

        /**
         * The server, not started yet.
         *
         * @throws IllegalArgumentException if an extension route is malformed or clashes with another
         */
        public TaskManagerServer build() {
            if (jvmMetrics && metrics == null) {
                throw new IllegalStateException("jvmMetrics(true) needs metrics(registry): there is no registry to bind to");
            }
            return new TaskManagerServer(this);
        }
    }
}
