package dev.taskmanager.cli;

/**
 * How a command prints its result: {@link #TEXT}, nodetool's format for {@code tasks}, or
 * {@link #JSON}, one JSON document on stdout for scripts (what each command's document holds is in
 * {@code docs/cli.md}). Errors go to stderr as text either way, and exit codes do not change.
 */
enum OutputFormat {
    TEXT, JSON;

    /** The format named {@code value} ({@code text}, {@code json}), or {@code null}. */
    static OutputFormat named(String value) {
        return switch (value) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> null;
        };
    }
}
