package dev.taskmanager.cli;

/**
 * Every option of {@code tasks}, with the names nodetool gives it and the kind of value it takes.
 * Which subcommand accepts which option is {@link Subcommand}'s business.
 *
 * <p>{@link #ID} and {@link #MODULE} double as the named form of a subcommand's positional
 * parameter ({@code status --id X} is {@code status X}), as in nodetool, where positional
 * parameters are named options; that is why a second id is reported as
 * {@code option '--id' cannot be specified more than once}.
 */
enum Option {
    HOST("--host", "-h", Kind.HOST, "<host>", "REST API host (default localhost)"),
    PORT("--port", "-p", Kind.PORT, "<port>", "REST API port (default 10000)"),
    HELP("--help", null, Kind.FLAG, null, "print this help and exit"),
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
    ID("--id", null, Kind.TEXT, "<id>", "the task id");

    /** What an option's value must look like; checked while parsing, as nodetool does. */
    enum Kind {
        /** No value. */
        FLAG,
        /** Any text, sent as typed. */
        TEXT,
        /** A host name or address usable in a URL. */
        HOST,
        /** 1..65535. */
        PORT,
        /** 0..4294967295, decimal digits only (nodetool's {@code uint32_t}). */
        UINT32
    }

    private final String longName;
    private final String shortName;
    private final Kind kind;
    private final String valueName;
    private final String description;

    Option(String longName, String shortName, Kind kind, String valueName, String description) {
        this.longName = longName;
        this.shortName = shortName;
        this.kind = kind;
        this.valueName = valueName;
        this.description = description;
    }

    String longName() {
        return longName;
    }

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

    String description() {
        return description;
    }

    /** The option spelled exactly {@code name} (long or short form), or {@code null}. */
    static Option named(String name) {
        for (Option o : values()) {
            if (o.longName.equals(name) || name.equals(o.shortName)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The one-letter value option that {@code token} starts with, for the attached form
     * {@code -p10001}; {@code null} if there is none.
     */
    static Option attachedShort(String token) {
        if (token.length() <= 2 || token.startsWith("--")) {
            return null;
        }
        Option o = named(token.substring(0, 2));
        return o != null && o.takesValue() ? o : null;
    }
}
