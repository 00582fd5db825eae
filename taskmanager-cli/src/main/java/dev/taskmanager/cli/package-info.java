/**
 * The operator's command line, {@code taskmanager tasks ...}: a client of the ScyllaDB-compatible
 * REST API (SPEC §12) whose subcommands, options, output and exit codes follow {@code nodetool
 * tasks} (SPEC §14), so that scripts written against one work against the other; and
 * {@code taskmanager files ...}, which starts a files operation through the server's files routes
 * with the same options, failure messages and exit codes.
 *
 * <p>The only public types are the two entry points, {@link dev.taskmanager.cli.TasksCli} and
 * {@link dev.taskmanager.cli.FilesCli}; everything else is a package-private part with one job:
 * <ul>
 *   <li>{@code ArgumentParser} turns the command line into an {@code Invocation}, with the exact
 *       error messages and exit codes of §14.2 ({@code Option} and {@code Subcommand} describe the
 *       grammar, {@code Usage} renders {@code --help});</li>
 *   <li>{@code RestClient} sends one request per call over the JDK's {@code HttpURLConnection}
 *       (chosen for start-up time, see its Javadoc), for both entry points, and turns every
 *       failure into a {@code CliException} carrying its exit code;</li>
 *   <li>{@code Json} and {@code JsonReader} (jackson-core streaming) read responses keeping what the server sent
 *       (member order, number text), because the CLI prints what it got, not what it expected;</li>
 *   <li>{@code Cells}, {@code Table} and {@code StatusPrinter} render values, tables (§14.3) and
 *       status lines (§14.4);</li>
 *   <li>{@code Commands} runs the subcommands; {@code Sleeper} lets tests skip the waits of
 *       {@code list --interval};</li>
 *   <li>{@code FilesCli} parses its own, smaller command line (its options are not those of any
 *       {@code tasks} subcommand) and sends one POST.</li>
 * </ul>
 *
 * <p>Nothing here is shared between threads: one invocation runs on the caller's thread from
 * start to end.
 */
package dev.taskmanager.cli;
