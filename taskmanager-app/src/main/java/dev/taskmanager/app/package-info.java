/**
 * The runnable application, {@code taskmanager.jar}: one {@code main} ({@link dev.taskmanager.app.Main})
 * for every command, so that a single jar, run by the {@code ./taskmanager} launcher, is the server, the
 * operator's CLI and the demo.
 *
 * <ul>
 *   <li>{@code Main} dispatches on the first word; {@code main} only wires the process's streams to
 *       {@code run(out, err, args)}, which returns the exit code and is what the tests call;</li>
 *   <li>{@code Serve} is the server's {@code serve} plus the files workload, confined to the
 *       {@code --allow-path} directories; {@code FilesRoutes} adds its {@code POST /files/manifest} and
 *       {@code POST /files/verify} routes to the API; {@code History} opens the history store
 *       ({@code taskmanager-store}) from the flags {@code HistoryOptions} parses, and {@code Serve}
 *       closes it after the server;</li>
 *   <li>{@code tasks} and {@code files} (which starts those operations from the command line) are the
 *       CLI module's {@link dev.taskmanager.cli.TasksCli} and {@link dev.taskmanager.cli.FilesCli},
 *       which share one HTTP client and so report failures alike;</li>
 *   <li>{@code Demo} runs a real operation through the API on an in-process server and shows it with
 *       {@code ProgressView}, live on a terminal, as plain lines otherwise, and shows the previous
 *       run's operations read back from its history.</li>
 * </ul>
 *
 * <p>Logging: Jetty logs through SLF4J, bound here to slf4j-simple at level {@code warn}
 * ({@code simplelogger.properties}), as do HikariCP and Flyway; the core and the store log through
 * {@code System.Logger}.
 */
package dev.taskmanager.app;
