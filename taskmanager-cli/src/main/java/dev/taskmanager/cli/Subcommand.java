package dev.taskmanager.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The subcommands of {@code tasks} (SPEC §14.1): their names, their positional parameter and the
 * options each accepts. Behaviour lives in {@link Commands}; this is only the grammar, shared by
 * {@link ArgumentParser} and {@link Usage}.
 */
enum Subcommand {
    MODULES("modules", null, false, List.of(),
            "Prints the names of the modules, one per line."),
    LIST("list", Option.MODULE, true,
            List.of(Option.INTERNAL, Option.KEYSPACE, Option.TABLE, Option.INTERVAL,
                    Option.ITERATIONS),
            "Prints the tasks of a module as a table; with --iterations, lists again every "
                    + "interval."),
    STATUS("status", Option.ID, true, List.of(),
            "Prints the status of a task, one field per line."),
    TREE("tree", Option.ID, false, List.of(),
            "Prints the status of a task and of all its descendants as a table; without an id, "
                    + "the trees of every listed task of every module."),
    WAIT("wait", Option.ID, true, List.of(Option.QUIET, Option.TIMEOUT),
            "Waits for a task to finish and prints its status."),
    ABORT("abort", Option.ID, true, List.of(),
            "Asks a task (and its descendants) to abort; does not wait for it to stop."),
    DRAIN("drain", null, false, List.of(Option.MODULE),
            "Unregisters the finished tasks of a module, or of every module."),
    TTL("ttl", null, false, List.of(Option.SET),
            "Prints the time to live of finished tasks, in seconds, or sets it."),
    USER_TTL("user-ttl", null, false, List.of(Option.SET),
            "Prints the time to live of finished user tasks, in seconds, or sets it.");

    private final String command;
    private final Option positional;
    private final boolean positionalRequired;
    private final List<Option> options;
    private final Set<Option> accepted;
    private final String summary;

    Subcommand(String command, Option positional, boolean positionalRequired, List<Option> options,
            String summary) {
        this.command = command;
        this.positional = positional;
        this.positionalRequired = positionalRequired;
        this.options = options;
        this.summary = summary;
        EnumSet<Option> all = EnumSet.of(Option.HOST, Option.PORT, Option.HELP);
        all.addAll(options);
        if (positional != null) {
            all.add(positional);
        }
        this.accepted = all;
    }

    /** The word typed on the command line. */
    String command() {
        return command;
    }

    /** The option that the positional parameter fills, or {@code null} if none is taken. */
    Option positional() {
        return positional;
    }

    boolean positionalRequired() {
        return positionalRequired;
    }

    /** The name of the positional parameter as nodetool reports it ({@code id}, {@code module}). */
    String positionalName() {
        return positional.longName().substring(2);
    }

    /** The subcommand's own options, in help order (not the global ones nor the positional). */
    List<Option> options() {
        return options;
    }

    boolean accepts(Option option) {
        return accepted.contains(option);
    }

    String summary() {
        return summary;
    }

    /** The subcommand typed as {@code word}, or {@code null}. */
    static Subcommand named(String word) {
        for (Subcommand s : values()) {
            if (s.command.equals(word)) {
                return s;
            }
        }
        return null;
    }

    /** The names of all subcommands, sorted, for error messages. */
    static String names() {
        return String.join(", ", List.of(values()).stream().map(Subcommand::command).sorted()
                .toList());
    }
}
