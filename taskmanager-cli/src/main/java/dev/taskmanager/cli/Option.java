package dev.taskmanager.cli;

/**
 * Every option of both command lines, with its names, the kind of value it takes and its line of
 * help. Which command line knows which option is a {@link Grammar}'s business, and which
 * subcommand accepts which a {@link Verb}'s; two options of different command lines may share a
 * name ({@link #OUTPUT} of {@code tasks} and {@link #MANIFEST_OUTPUT} of {@code files} are both
 * {@code --output}).
 *
 * <p>{@link #ID} and {@link #MODULE} double as the named form of a {@code tasks} subcommand's
 * positional parameter ({@code status --id X} is {@code status X}), as in nodetool, where
 * positional parameters are named options; that is why a second id is reported as
 * {@code option '--id' cannot be specified more than once}.
 *
 * <p>The description is the option's line of {@code --help}; a subcommand that gives an option
 * another meaning says so with {@link Verb#describe} ({@code --module} filters {@code find} but
 * selects what {@code drain} drains).
 *
 * <p>To add an option: a constant here, then list it in the {@link Grammar} (for every
 * subcommand) or in the {@code options} of the subcommands that take it; the parser, the checks
 * of its value and {@code --help} follow from that.
 */
enum Option {
    // Every subcommand of both command lines: where the server is and how to talk to it.
    HOST("--host", "-h", Kind.HOST, "<host>", "REST API host (default localhost)"),
    PORT("--port", "-p", Kind.PORT, "<port>", "REST API port (default 10000)"),
    TLS("--tls", null, Kind.FLAG, null, "connect with HTTPS (TLS) instead of HTTP"),
    CACERT("--cacert", null, Kind.TEXT, "<file>",
            "trust the CA or self-signed certificates of this PEM file (implies --tls)"),
    TOKEN_FILE("--token-file", null, Kind.TEXT, "<file>",
            "send the token on this file's first line (default: $TASKMANAGER_TOKEN)"),
    HELP("--help", null, Kind.FLAG, null, "print this help and exit"),
    VERSION("--version", null, Kind.FLAG, null, "print the version and exit"),

    // tasks
    OUTPUT("--output", null, Kind.FORMAT, "<format>",
            "text (default), or json: one JSON document on stdout"),
    INTERNAL("--internal", null, Kind.FLAG, null, "include internal tasks"),
    KEYSPACE("--keyspace", "-ks", Kind.TEXT, "<keyspace>", "only tasks of this keyspace"),
    TABLE("--table", "-t", Kind.TEXT, "<table>", "only tasks of this table"),
    INTERVAL("--interval", null, Kind.UINT32, "<seconds>",
            "seconds between repetitions (default 10)"),
    ITERATIONS("--iterations", "-i", Kind.UINT32, "<n>",
            "list again n more times, every interval (default 0)"),
    QUIET("--quiet", "-q", Kind.FLAG, null,
            "print nothing; exit 0 done, 123 failed, 124 timed out, 125 other error"),
    TIMEOUT("--timeout", null, Kind.UINT32, "<seconds>",
            "give up after this many seconds (default: wait forever)"),
    MODULE("--module", null, Kind.TEXT, "<module>", "drain only this module (default: all)"),
    SET("--set", null, Kind.UINT32, "<seconds>", "set the value instead of printing it"),
    ID("--id", null, Kind.TEXT, "<id>", "the task id"),
    COMPACT("--compact", null, Kind.FLAG, null,
            "one short row per task: id indented by depth, state, progress, entity, error"),
    WIDE("--wide", null, Kind.FLAG, null,
            "by sequence number, with progress (the v2 API; without it, nodetool's table)"),
    REASON("--reason", null, Kind.TEXT, "<text>",
            "why: recorded with the abort (the v2 API; without it, nodetool's request)"),

    // tasks find: the filters and paging of GET /v2/tasks (their parameter is in FindCommand)
    STATE("--state", null, Kind.TEXT, "<state>", true,
            "created, running, stalled, abort_requested, done, failed or aborted (repeatable)"),
    TYPE("--type", null, Kind.TEXT, "<type>", "only tasks of this type"),
    KIND("--kind", null, Kind.TEXT, "<kind>", "node or cluster"),
    SCOPE("--scope", null, Kind.TEXT, "<scope>", "only tasks of this scope"),
    ENTITY_PREFIX("--entity-prefix", null, Kind.TEXT, "<prefix>",
            "only tasks whose entity starts with this"),
    PARENT("--parent", null, Kind.TEXT, "<id>",
            "only the children of this task (internal ones included)"),
    LABEL("--label", null, Kind.TEXT, "<key:value>", true,
            "only tasks carrying this label (repeatable: all of them)"),
    CREATED_AFTER("--created-after", null, Kind.TEXT, "<time>",
            "created after this RFC 3339 time, e.g. 2026-11-30T00:00:00Z"),
    CREATED_BEFORE("--created-before", null, Kind.TEXT, "<time>", "created before this time"),
    FINISHED_AFTER("--finished-after", null, Kind.TEXT, "<time>",
            "ended after this time (ended tasks only)"),
    FINISHED_BEFORE("--finished-before", null, Kind.TEXT, "<time>",
            "ended before this time (ended tasks only)"),
    USER_TASK("--user-task", null, Kind.FLAG, null, "only user tasks (started by an operator)"),
    ORDER_BY("--order-by", null, Kind.TEXT, "<order>",
            "created_time (default) or sequence_number, either with ' desc'"),
    PAGE_SIZE("--page-size", null, Kind.UINT32, "<n>",
            "tasks per page, 1 to 1000 (default 100; 1000 with --all)"),
    PAGE_TOKEN("--page-token", null, Kind.TEXT, "<token>",
            "start at this page (a previous page's next_page_token)"),
    ALL("--all", null, Kind.FLAG, null,
            "every page to the end, printed as each page arrives"),

    // files
    MANIFEST_OUTPUT("--output", null, Kind.TEXT, "<file>", "manifest: where to write the manifest"),
    MANIFEST("--manifest", null, Kind.TEXT, "<file>",
            "verify: the manifest to check against (required)"),
    FORMAT("--format", null, Kind.FORMAT, "<format>",
            "text (default), or json: one JSON document on stdout");

    /** What an option's value must look like; checked while parsing, as nodetool does. */
    enum Kind {
        /** No value. */
        FLAG,
        /** Any text, sent or used as typed. */
        TEXT,
        /** A host name or address usable in a URL. */
        HOST,
        /** 1..65535, one to five decimal digits. */
        PORT,
        /** 0..4294967295, decimal digits only (nodetool's {@code uint32_t}). */
        UINT32,
        /** {@code text} or {@code json} ({@link OutputFormat}). */
        FORMAT
    }

    private final String longName;
    private final String shortName;
    private final Kind kind;
    private final String valueName;
    private final boolean repeatable;
    private final String description;

    Option(String longName, String shortName, Kind kind, String valueName, String description) {
        this(longName, shortName, kind, valueName, false, description);
    }

    Option(String longName, String shortName, Kind kind, String valueName, boolean repeatable,
            String description) {
        this.longName = longName;
        this.shortName = shortName;
        this.kind = kind;
        this.valueName = valueName;
        this.repeatable = repeatable;
        this.description = description;
    }

    String longName() {
        return longName;
    }

    /** The short form ({@code -h}), or {@code null}. */
    String shortName() {
        return shortName;
    }

    Kind kind() {
        return kind;
    }

    boolean takesValue() {
        return kind != Kind.FLAG;
    }

    String valueName() {
        return valueName;
    }

    /**
     * Whether the option may be given more than once ({@code --state running --state failed}),
     * each value kept in order; any other option given twice is an error, as in nodetool.
     */
    boolean repeatable() {
        return repeatable;
    }

    String description() {
        return description;
    }

    /** The name as a parameter is called in messages: {@code --id} is {@code id}. */
    String parameterName() {
        return longName.substring(2);
    }

    /** Whether {@code name} is this option's long or short form. */
    boolean isNamed(String name) {
        return longName.equals(name) || name.equals(shortName);
    }
}
