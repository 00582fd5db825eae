package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of {@code serve}, as parsed from its flags by {@link ServeCommand#parse}: where to
 * listen, how to configure the task manager, the server's limits and who may use it. Immutable once
 * parsed.
 *
 * <p>A module that starts the same server with more routes (the app's {@code serve}) parses the flags
 * here, then builds with {@link #newTaskManager()} and {@link #newServer(TaskManager)}, adding its
 * routes to the builder; or simply calls {@link ServeCommand#run(java.io.PrintStream,
 * java.io.PrintStream, ServeCommand.Customizer, String...)}.
 */
public final class ServerOptions {
    String apiAddress = TaskManagerServer.DEFAULT_BIND_ADDRESS;
    int apiPort = TaskManagerServer.DEFAULT_PORT;
    int shards = 1;
    long taskTtlSeconds;
    long userTaskTtlSeconds = 3600;
    long shutdownTimeoutSeconds = DEFAULT_SHUTDOWN_TIMEOUT_SECONDS;
    boolean unregisterFinishedOnRead;
    boolean enableTestApi;
    boolean metrics = true;
    boolean help;
    int maxConcurrentListings = ApiOptions.DEFAULT_MAX_CONCURRENT_LISTINGS;
    int maxConnections = TaskManagerServer.DEFAULT_MAX_CONNECTIONS;
    int maxConnectionsPerAddress = TaskManagerServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    long requestHeaderTimeoutSeconds = TaskManagerServer.DEFAULT_REQUEST_HEADER_TIMEOUT.getSeconds();
    List<String> allowedHosts = List.of();
    Path authTokenFile;
    Path tlsKeyStore;
    Path tlsKeyStorePasswordFile;
    String tlsKeyStorePassword;
    Path tlsCert;
    Path tlsKey;

    /** The default of {@code --shutdown-timeout}: how long a stop waits for running tasks. */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

    ServerOptions() {
    }

    /** {@code --api-address}: where to listen (default 127.0.0.1). */
    public String apiAddress() {
        return apiAddress;
    }

    /** {@code --api-port}: the port (default 10000; 0 picks a free one). */
    public int apiPort() {
        return apiPort;
    }

    /** {@code --shards}: registry partitions (default 1). */
    public int shards() {
        return shards;
    }

    /** {@code --task-ttl-in-seconds} (default 0). */
    public Duration taskTtl() {
        return Duration.ofSeconds(taskTtlSeconds);
    }

    /** {@code --user-task-ttl-in-seconds} (default 3600). */
    public Duration userTaskTtl() {
        return Duration.ofSeconds(userTaskTtlSeconds);
    }

    /** {@code --shutdown-timeout}: how long a stop waits for running tasks to end (default 10 s). */
    public Duration shutdownTimeout() {
        return Duration.ofSeconds(shutdownTimeoutSeconds);
    }

    /** {@code --unregister-finished-on-read}: the seed's one-shot reads of SPEC §6.3 (default off). */
    public boolean unregisterFinishedOnRead() {
        return unregisterFinishedOnRead;
    }

    /** {@code --enable-test-api} (default off). */
    public boolean enableTestApi() {
        return enableTestApi;
    }

    /**
     * Whether {@code GET /metrics} is served, with the task manager's, Jetty's and the JVM's meters
     * (default on; {@code --no-metrics} turns it off).
     */
    public boolean metrics() {
        return metrics;
    }

    /** Whether {@code --help} was given: print the usage and start nothing. */
    public boolean help() {
        return help;
    }

    /** {@code --max-concurrent-listings} (default {@value ApiOptions#DEFAULT_MAX_CONCURRENT_LISTINGS}). */
    public int maxConcurrentListings() {
        return maxConcurrentListings;
    }

    /** {@code --max-connections} (default {@value TaskManagerServer#DEFAULT_MAX_CONNECTIONS}). */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@code --max-connections-per-address} (default {@value TaskManagerServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}). */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** {@code --request-header-timeout} (default 10 s). */
    public Duration requestHeaderTimeout() {
        return Duration.ofSeconds(requestHeaderTimeoutSeconds);
    }

    /** {@code --allowed-hosts}: extra host names the server answers to (default none). */
    public List<String> allowedHosts() {
        return allowedHosts;
    }

    /** {@code --auth-token-file}, if given. */
    public Optional<Path> authTokenFile() {
        return Optional.ofNullable(authTokenFile);
    }

    /** Whether HTTPS is configured ({@code --tls-keystore} or {@code --tls-cert}/{@code --tls-key}). */
    public boolean tls() {
        return tlsKeyStore != null || tlsCert != null;
    }

    /** A task manager configured by these options; the caller owns it. */
    public TaskManager newTaskManager() {
        return TaskManager.builder()
                .shards(shards)
                .taskTtl(taskTtl())
                .userTaskTtl(userTaskTtl())
                .stopTimeout(shutdownTimeout())
                .unregisterFinishedOnRead(unregisterFinishedOnRead)
                .build();
    }

    /**
     * A server builder for these options around {@code taskManager}, which the server will own: closing
     * the server closes it, as {@code serve} does on SIGTERM. Add routes, then build and start it.
     *
     * @throws IllegalArgumentException if a secret file (token, key, password) is missing, empty or
     *                                  readable by others, or the TLS key store or PEM files are unusable
     */
    public TaskManagerServer.Builder newServer(TaskManager taskManager) {
        TaskManagerServer.Builder builder = TaskManagerServer.builder(taskManager)
                .bindAddress(apiAddress)
                .port(apiPort)
                .enableTestApi(enableTestApi)
                .maxConcurrentListings(maxConcurrentListings)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .requestHeaderTimeout(requestHeaderTimeout())
                .ownsTaskManager(true);
        if (!allowedHosts.isEmpty()) {
            builder.allowedHosts(allowedHosts);
        }
        if (metrics) {
            builder.metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).jvmMetrics(true);
        }
        if (authTokenFile != null) {
            builder.authTokenFile(authTokenFile);
        }
        if (tlsKeyStore != null) {
            String password = tlsKeyStorePasswordFile != null
                    ? SecretFiles.readText(tlsKeyStorePasswordFile, "--tls-keystore-password-file")
                    : tlsKeyStorePassword;
            builder.tlsKeyStore(tlsKeyStore, password.toCharArray());
        } else if (tlsCert != null) {
            builder.tlsPem(tlsCert, tlsKey);
        }
        return builder;
    }

    @Override
    public String toString() {
        return "ServerOptions[api=" + apiAddress + ":" + apiPort + ", shards=" + shards + ", taskTtl="
                + taskTtlSeconds + "s, userTaskTtl=" + userTaskTtlSeconds + "s, unregisterFinishedOnRead="
                + unregisterFinishedOnRead + ", testApi=" + enableTestApi + ", metrics=" + metrics
                + ", token=" + (authTokenFile != null)
                + ", tls=" + tls() + "]";
    }
}
