package dev.taskmanager.cli;

import java.util.List;
import java.util.function.Function;

/**
 * The text printed by {@code tasks --help}: short, generated from {@link Subcommand} and
 * {@link Option} so that it cannot drift from what the parser accepts, and ending with the exit
 * codes. {@link #appendOptions} and {@link #EXIT_CODES} are shared with {@code files --help}.
 */
final class Usage {

    /** The exit codes every command of both command lines may end with. */
    static final String EXIT_CODES = String.join("\n",
            "Exit codes:",
            "  0    success",
            "  1    a required parameter is missing",
            "  2    a bad option or option value, or an unusable --token-file or --cacert",
            "  4    a request failed: an error answer (401: the server wants a token),",
            "       no connection, a failed TLS handshake, an unexpected body",
            "  100  an unknown command or subcommand",
            "");

    private Usage() {
    }

    /** Usage of {@code tasks} itself when {@code subcommand} is {@code null}. */
    static String text(Subcommand subcommand) {
        return subcommand == null ? tasks() : of(subcommand);
    }

    private static String tasks() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: taskmanager tasks <subcommand> [options]\n\n");
        sb.append("Watches and controls the tasks of a task manager through its REST API\n");
        sb.append("(compatible with nodetool tasks; find, watch, abort --reason and list --wide\n");
        sb.append("use the v2 API).\n\nSubcommands:\n");
        for (Subcommand s : Subcommand.values()) {
            sb.append(String.format("  %-9s %s", s.command(), s.summary())).append('\n');
        }
        sb.append("\nOptions of every subcommand:\n");
        appendOptions(sb, TasksCli.GRAMMAR.common());
        sb.append("\nThe token is sent as 'Authorization: Bearer <token>'; a token file must\n");
        sb.append("not be accessible by group or others. Control characters in names and\n");
        sb.append("errors print escaped (\\n, \\t, \\x1b); --output json prints exact values.\n");
        sb.append('\n').append(EXIT_CODES);
        sb.append("\nSee 'taskmanager tasks <subcommand> --help' for the options of each.\n");
        return sb.toString();
    }

    private static String of(Subcommand s) {
        StringBuilder sb = new StringBuilder("usage: taskmanager tasks ").append(s.command());
        if (s.positional() != null) {
            String p = "<" + s.positional().name() + ">";
            sb.append(' ').append(s.positional().required() ? p : "[" + p + "]");
        }
        sb.append(" [options]\n\n").append(s.summary()).append("\n\nOptions:\n");
        appendOptions(sb, TasksCli.GRAMMAR.helpOptions(s), s::describe);
        sb.append('\n').append(EXIT_CODES);
        if (s.exitCodes() != null) {
            sb.append(s.exitCodes());
        }
        return sb.toString();
    }

    /** One line per option: its names and value, padded to 28 columns, then its description. */
    static void appendOptions(StringBuilder sb, List<Option> options) {
        appendOptions(sb, options, Option::description);
    }

    /** {@link #appendOptions(StringBuilder, List)} with each option described by {@code describe}. */
    static void appendOptions(StringBuilder sb, List<Option> options,
            Function<Option, String> describe) {
        for (Option o : options) {
            String names = (o.shortName() == null ? "" : o.shortName() + ", ") + o.longName()
                    + (o.takesValue() ? " " + o.valueName() : "");
            sb.append("  ").append(names);
            sb.append(" ".repeat(Math.max(1, 28 - names.length())));
            sb.append(describe.apply(o)).append('\n');
        }
    }
}
