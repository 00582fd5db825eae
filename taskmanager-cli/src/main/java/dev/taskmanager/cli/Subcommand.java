package dev.taskmanager.cli;

import java.util.List;
import java.util.Map;

/**
 * The subcommands of {@code tasks}: those of nodetool (SPEC §14.1) and ours on the v2 API
 * ({@code find}, {@code watch}): their names, their positional parameter, the options each
 * accepts beyond the common ones of {@link TasksCli#GRAMMAR}, what an option means to it when that
 * differs from the option's own description, and what its exit codes add to the common ones.
 * Behaviour lives in {@link Commands}; this is only the grammar, shared by {@link ArgumentParser}
 * and {@link Usage}.
 *
 * <p>To add a subcommand: a constant here (its word, positional, options and one-line summary),
 * then its case in {@link Commands#run}; parsing, errors and {@code --help} follow.
 */
enum Subcommand implements Verb {
    MODULES("modules", null, List.of(),
            "Prints the names of the modules, one per line."),
    LIST("list", Positional.of(Option.MODULE, true),
            List.of(Option.INTERNAL, Option.KEYSPACE, Option.TABLE, Option.INTERVAL,
                    Option.ITERATIONS, Option.WIDE),
            "Prints the tasks of a module as a table; with --iterations, lists again every "
                    + "interval; with --wide, in order of sequence number with their progress.",
            Map.of(Option.MODULE, "the module")),
    STATUS("status", Positional.of(Option.ID, true), List.of(),
            "Prints the status of a task, one field per line."),
    TREE("tree", Positional.of(Option.ID, false), List.of(Option.COMPACT),
            "Prints the status of a task and of all its descendants as a table; without an id, "
                    + "the trees of every listed task of every module."),
    WAIT("wait", Positional.of(Option.ID, true), List.of(Option.QUIET, Option.TIMEOUT),
            "Waits for a task to finish and prints its status.", Map.of(),
            String.join("\n",
                    "  With --quiet, the outcome instead: 0 the task ended in any state but failed,",
                    "  123 it failed, 124 the wait timed out, 125 any other error (1 and 2 stay).",
                    "")),
    ABORT("abort", Positional.of(Option.ID, true), List.of(Option.REASON),
            "Asks a task (and its descendants) to abort; does not wait for it to stop.", Map.of(),
            String.join("\n",
                    "  A task that is not abortable, or (with --reason) already finished, is said",
                    "  so on stdout and exits 0; with --reason, an unknown task exits 4.",
                    "")),
    DRAIN("drain", null, List.of(Option.MODULE),
            "Unregisters the finished tasks of a module, or of every module."),
    TTL("ttl", null, List.of(Option.SET),
            "Prints the time to live of finished tasks, in seconds, or sets it."),
    USER_TTL("user-ttl", null, List.of(Option.SET),
            "Prints the time to live of finished user tasks, in seconds, or sets it."),
    FIND("find", null,
            List.of(Option.MODULE, Option.STATE, Option.TYPE, Option.KIND, Option.SCOPE,
                    Option.KEYSPACE, Option.TABLE, Option.ENTITY_PREFIX, Option.PARENT,
                    Option.LABEL, Option.CREATED_AFTER, Option.CREATED_BEFORE,
                    Option.FINISHED_AFTER, Option.FINISHED_BEFORE, Option.USER_TASK,
                    Option.INTERNAL, Option.ORDER_BY, Option.PAGE_SIZE, Option.PAGE_TOKEN,
                    Option.ALL),
            "Finds tasks by module, state, type, label, time...: one page as a table, or "
                    + "every page with --all.",
            Map.of(Option.MODULE, "only tasks of this module",
                    Option.OUTPUT, "text (default), or json: {\"tasks\": [...], "
                            + "\"next_page_token\", \"total_size\"}")),
    WATCH("watch", Positional.of(Option.ID, true), List.of(Option.INTERVAL, Option.TIMEOUT),
            "Shows a task's progress, rate and ETA and its running children until it ends: "
                    + "redrawn in place on a terminal, a line per change otherwise.",
            Map.of(Option.INTERVAL, "seconds between two looks at the task (default 1)",
                    Option.TIMEOUT, "give up after this many seconds (exit 124)",
                    Option.OUTPUT, "text (default), or json: a {\"task\", \"running\"} line "
                            + "per change"),
            String.join("\n",
                    "  When the task ends: 0 done, 123 failed or aborted; 124 --timeout passed",
                    "  first; 125 any other error (the task is unknown or gone, a failed",
                    "  request); 1, 2 and 100 as above.",
                    ""));

    private final String command;
    private final Positional positional;
    private final List<Option> options;
    private final String summary;
    private final Map<Option, String> descriptions;
    private final String exitCodes;

    Subcommand(String command, Positional positional, List<Option> options, String summary) {
        this(command, positional, options, summary, Map.of(), null);
    }

    Subcommand(String command, Positional positional, List<Option> options, String summary,
            Map<Option, String> descriptions) {
        this(command, positional, options, summary, descriptions, null);
    }

    Subcommand(String command, Positional positional, List<Option> options, String summary,
            Map<Option, String> descriptions, String exitCodes) {
        this.command = command;
        this.positional = positional;
        this.options = options;
        this.summary = summary;
        this.descriptions = descriptions;
        this.exitCodes = exitCodes;
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

    @Override
    public String describe(Option option) {
        return descriptions.getOrDefault(option, option.description());
    }

    String summary() {
        return summary;
    }

    /** What this subcommand's exit codes add to {@link Usage#EXIT_CODES}, or {@code null}. */
    String exitCodes() {
        return exitCodes;
    }
}
