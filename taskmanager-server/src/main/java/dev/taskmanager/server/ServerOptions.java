package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.time.Duration;

/**
 * The settings of {@code serve}, as parsed from its flags by {@link ServeCommand#parse}: where to
 * listen and how to configure the task manager. Immutable.
 *
 * <p>A module that starts the same server with more routes (the app's {@code serve}) parses the flags
 * here, then builds with {@link #newTaskManager()} and {@link #newServer(TaskManager)}, adding its
 * routes to the builder; or simply calls {@link ServeCommand#run(java.io.PrintStream,
 * java.io.PrintStream, ServeCommand.Customizer, String...)}.
 */
public final class ServerOptions {
    final String apiAddress;
    final int apiPort;
    final int shards;
    final long taskTtlSeconds;
    final long userTaskTtlSeconds;
    final boolean unregisterFinishedOnRead;
    final boolean enableTestApi;
    final boolean help;

    ServerOptions(String apiAddress, int apiPort, int shards, long taskTtlSeconds, long userTaskTtlSeconds,
                  boolean unregisterFinishedOnRead, boolean enableTestApi, boolean help) {
        this.apiAddress = apiAddress;
        this.apiPort = apiPort;
        this.shards = shards;
        this.taskTtlSeconds = taskTtlSeconds;
        this.userTaskTtlSeconds = userTaskTtlSeconds;
        this.unregisterFinishedOnRead = unregisterFinishedOnRead;
        this.enableTestApi = enableTestApi;
        this.help = help;
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

    /** {@code --unregister-finished-on-read}: the seed's one-shot reads of SPEC §6.3 (default off). */
    public boolean unregisterFinishedOnRead() {
        return unregisterFinishedOnRead;
    }

    /** {@code --enable-test-api} (default off). */
    public boolean enableTestApi() {
        return enableTestApi;
    }

    /** Whether {@code --help} was given: print the usage and start nothing. */
    public boolean help() {
        return help;
    }

    /** A task manager configured by these options; the caller owns it. */
    public TaskManager newTaskManager() {
        return TaskManager.builder()
                .shards(shards)
                .taskTtl(taskTtl())
                .userTaskTtl(userTaskTtl())
                .unregisterFinishedOnRead(unregisterFinishedOnRead)
                .build();
    }

    /**
     * A server builder for these options around {@code taskManager}, which the server will own: closing
     * the server closes it, as {@code serve} does on SIGTERM. Add routes, then build and start it.
     */
    public TaskManagerServer.Builder newServer(TaskManager taskManager) {
        return TaskManagerServer.builder(taskManager)
                .bindAddress(apiAddress)
                .port(apiPort)
                .enableTestApi(enableTestApi)
                .ownsTaskManager(true);
    }

    @Override
    public String toString() {
        return "ServerOptions[api=" + apiAddress + ":" + apiPort + ", shards=" + shards + ", taskTtl="
                + taskTtlSeconds + "s, userTaskTtl=" + userTaskTtlSeconds + "s, unregisterFinishedOnRead="
                + unregisterFinishedOnRead + ", testApi=" + enableTestApi + "]";
    }
}
