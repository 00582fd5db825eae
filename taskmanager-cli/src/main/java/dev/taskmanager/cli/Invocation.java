package dev.taskmanager.cli;

import java.util.List;

/**
 * One checked {@code tasks} command line: the subcommand, where to send requests, how to print,
 * and the options given. When {@link #help()} or {@link #version()} is set nothing is sent: the
 * usage of {@link #subcommand()} (of {@code tasks} itself when it is {@code null}) or the version
 * is printed instead.
 *
 * @param line what the parser made of the command line
 */
record Invocation(ParsedLine<Subcommand> line) {

    Subcommand subcommand() {
        return line.verb();
    }

    boolean help() {
        return line.help();
    }

    boolean version() {
        return line.version();
    }

    /** {@code -h/--host}, default {@code localhost}. */
    String host() {
        return Endpoint.host(line);
    }

    /** {@code -p/--port}, default 10000. */
    int port() {
        return Endpoint.port(line);
    }

    /** {@code --output}, default text. */
    OutputFormat format() {
        return has(Option.OUTPUT) ? OutputFormat.named(value(Option.OUTPUT)) : OutputFormat.TEXT;
    }

    boolean has(Option option) {
        return line.has(option);
    }

    /** The (first) value given for {@code option} ({@code ""} for a flag), or {@code null}. */
    String value(Option option) {
        return line.value(option);
    }

    /** Every value given for {@code option}, in order (a repeatable option has several). */
    List<String> all(Option option) {
        return line.all(option);
    }

    /** The id or module given positionally (or by its named form), or {@code null}. */
    String positional() {
        return line.positional();
    }
}
