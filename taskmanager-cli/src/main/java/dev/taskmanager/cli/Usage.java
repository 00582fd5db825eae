package dev.taskmanager.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The text printed by {@code --help}: short, generated from {@link Subcommand} and {@link Option}
 * so that it cannot drift from what the parser accepts.
 */
final class Usage {

    private static final List<Option> GLOBAL = List.of(Option.HOST, Option.PORT, Option.HELP);

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
        sb.append("(compatible with nodetool tasks).\n\nSubcommands:\n");
        for (Subcommand s : Subcommand.values()) {
            sb.append(String.format("  %-9s %s", s.command(), s.summary())).append('\n');
        }
        sb.append("\nOptions of every subcommand:\n");
        appendOptions(sb, GLOBAL);
        sb.append("\nSee 'taskmanager tasks <subcommand> --help' for the options of each.\n");
        return sb.toString();
    }

    private static String of(Subcommand s) {
        StringBuilder sb = new StringBuilder("usage: taskmanager tasks ").append(s.command());
        if (s.positional() != null) {
            String p = "<" + s.positionalName() + ">";
            sb.append(' ').append(s.positionalRequired() ? p : "[" + p + "]");
        }
        sb.append(" [options]\n\n").append(s.summary()).append("\n\nOptions:\n");
        List<Option> options = new ArrayList<>(s.options());
        options.addAll(GLOBAL);
        appendOptions(sb, options);
        return sb.toString();
    }

    private static void appendOptions(StringBuilder sb, List<Option> options) {
        for (Option o : options) {
            String names = (o.shortName() == null ? "" : o.shortName() + ", ") + o.longName()
                    + (o.takesValue() ? " " + o.valueName() : "");
            sb.append("  ").append(names);
            sb.append(" ".repeat(Math.max(1, 28 - names.length())));
            sb.append(o.description()).append('\n');
        }
    }
}
