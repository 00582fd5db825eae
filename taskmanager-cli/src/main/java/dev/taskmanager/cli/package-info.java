/**
 * The operator's command line, {@code taskmanager tasks ...}: a client of the ScyllaDB-compatible
 * REST API (SPEC §12) whose subcommands, options, output and exit codes follow {@code nodetool
 * tasks} (SPEC §14), so that scripts written against one work against the other; and
 * {@code taskmanager files ...}, which starts a files operation through the server's files routes
 * with the same options, failure messages and exit codes. Beyond nodetool, for both: one JSON
 * document per command ({@code --output json}, {@code files --format json}), HTTPS
 * ({@code --tls}, {@code --cacert}), a bearer token ({@code TASKMANAGER_TOKEN},
 * {@code --token-file}), {@code --version}; and {@code tasks tree --compact}.
 *
 * <p>The only public types are the two entry points, {@link dev.taskmanager.cli.TasksCli} and
 * {@link dev.taskmanager.cli.FilesCli}; everything else is a package-private part with one job:
 * <ul>
 *   <li>{@code ArgumentParser} turns a command line into a {@code ParsedLine}, with the exact
 *       error messages and exit codes of §14.2, for both command lines; each is described as
 *       data: a {@code Grammar} (command word, subcommands, common options) of {@code Verb}s
 *       ({@code Subcommand}, {@code FilesCli.Operation}) and {@code Option}s. {@code Usage}
 *       renders {@code --help} from the same data, {@code Version} prints {@code --version};</li>
 *   <li>{@code Endpoint} is where the server is and how to reach it ({@code BearerToken},
 *       {@code Tls}); {@code RestClient} sends one request per call over the JDK's
 *       {@code HttpURLConnection} (chosen for start-up time, see its Javadoc), bounding a TLS
 *       handshake with a {@code HandshakeWatchdog}, and turns every failure into a
 *       {@code CliException} carrying its exit code;</li>
 *   <li>{@code Json} and {@code JsonReader} (jackson-core streaming) read responses keeping what
 *       the server sent (member order, number text), because the CLI prints what it got, not what
 *       it expected; {@code Json#toJsonText} writes the JSON documents;</li>
 *   <li>{@code Cells}, {@code Table}, {@code TreeView} and {@code StatusPrinter} render values,
 *       tables (§14.3), the two tree views and status lines (§14.4); {@code TerminalText}
 *       escapes control characters in everything from the server that is printed as text;</li>
 *   <li>{@code Commands} runs the {@code tasks} subcommands, as text or JSON
 *       ({@code OutputFormat}), within a {@code Session} (output, pauses, terminal, clock); the v2
 *       listings are {@code FindCommand}'s (page by page, {@code PagedTable}), {@code watch} is
 *       {@code WatchCommand}'s ({@code TaskTree} reads a tree as it arrives, {@code WatchView}
 *       renders it, {@code EndWatch} hears the end of a task that vanishes between two looks,
 *       {@code Progress} formats amounts, rates and times left); {@code Requester} names who asks
 *       for an abort.</li>
 * </ul>
 *
 * <p>To add a subcommand: a constant in {@code Subcommand} (word, positional, options, summary)
 * and its case in {@code Commands#run}; to add an option, a constant in {@code Option} listed by
 * the subcommands that take it. Parsing, errors and help follow. The command-line contract (the
 * grammar, the JSON documents, the escaping, exit codes) is written down in {@code docs/cli.md}.
 *
 * <p>Nothing here is shared between threads: one invocation runs on the caller's thread from
 * start to end (a TLS handshake adds a watchdog thread for its duration; {@code watch} adds the
 * daemon thread of its {@code EndWatch}, with a client of its own).
 */
package dev.taskmanager.cli;
