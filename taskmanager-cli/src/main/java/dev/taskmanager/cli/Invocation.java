package dev.taskmanager.cli;

import java.util.Map;

/**
 * One parsed command line: the subcommand, where to send requests, and the options given (flags
 * map to {@code ""}). When {@code help} is set nothing is sent: the usage of {@code subcommand}
 * (or of {@code tasks} itself when it is {@code null}) is printed instead.
 */
record Invocation(Subcommand subcommand, boolean help, String host, int port,
        Map<Option, String> values) {

    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 10000;

    Invocation {
        values = Map.copyOf(values);
    }

    static Invocation help(Subcommand subcommand) {
        return new Invocation(subcommand, true, DEFAULT_HOST, DEFAULT_PORT, Map.of());
    }

    boolean has(Option option) {
        return values.containsKey(option);
    }

    /** The value given for {@code option}, or {@code null}. */
    String value(Option option) {
        return values.get(option);
    }

    /** The id or module given positionally (or by its named form), or {@code null}. */
    String positional() {
        return subcommand.positional() == null ? null : values.get(subcommand.positional());
    }
}
