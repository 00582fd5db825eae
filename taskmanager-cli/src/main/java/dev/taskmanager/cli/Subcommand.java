package dev.taskmanager.cli;

import java.util.List;

/**
 * The subcommands of {@code tasks} (SPEC §14.1): their names, their positional parameter and the
 * options each accepts beyond the common ones of {@link TasksCli#GRAMMAR}. Behaviour lives in
 * {@link Commands}; this is only the grammar, shared by {@link ArgumentParser} and {@link Usage}.
 *
 * <p>To add a subcommand: a constant here (its word, positional, options and one-line summary),
 * then its case in {@link Commands#run}; parsing, errors and {@code --help} follow.
 */
enum Subcommand implements Verb {
    MODULES("modules", null, List.of(),
            "Prints the names of the modules, one per line."),
    LIST("list", Positional.of(Option.MODULE, true),
            List.of(Option.INTERNAL, Option.KEYSPACE, Option.TABLE, Option.INTERVAL,
                    Option.ITERATIONS),
            "Prints the tasks of a module as a table; with --iterations, lists again every "
                    + "interval."),
    STATUS("status", Positional.of(Option.ID, true), List.of(),
            "Prints the status of a task, one field per line."),
    TREE("tree", Positional.of(Option.ID, false), List.of(Option.COMPACT),
            "Prints the status of a task and of all its descendants as a table; without an id, "
                    + "the trees of every listed task of every module."),
    WAIT("wait", Positional.of(Option.ID, true), List.of(Option.QUIET, Option.TIMEOUT),
            "Waits for a task to finish and prints its status."),
    ABORT("abort", Positional.of(Option.ID, true), List.of(),
            "Asks a task (and its descendants) to abort; does not wait for it to stop."),
    DRAIN("drain", null, List.of(Option.MODULE),
            "Unregisters the finished tasks of a module, or of every module."),
    TTL("ttl", null, List.of(Option.SET),
            "Prints the time to live of finished tasks, in seconds, or sets it."),
    USER_TTL("user-ttl", null, List.of(Option.SET),
            "Prints the time to live of finished user tasks, in seconds, or sets it.");

    private final String command;
    private final Positional positional;
    private final List<Option> options;
    private final String summary;

    Subcommand(String command, Positional positional, List<Option> options, String summary) {
        this.command = command;
        this.positional = positional;
        this.options = options;
        this.summary = summary;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public Positional positional() {
        return positional;
    }

    @Override
    public List<Option> options() {
        return options;
    }

    String summary() {
        return summary;
    }
}
