package dev.taskmanager.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code serve}'s history flags: which store ({@code --store}), its credentials, this server's node
 * name and the retention. Immutable; {@link Builder} parses and cross-checks the flags.
 *
 * @param store        {@code sqlite} (the default: {@code <data dir>/history/tasks.db}), {@code memory}
 *                     (no history, ScyllaDB's semantics) or a {@code jdbc:postgresql:} URL
 * @param user         the PostgreSQL user, or {@code null} (from the URL)
 * @param password     the PostgreSQL password read from {@code --store-password-file}, or {@code null}
 * @param nodeName     this server's name in the store
 * @param retention    how long finished tasks stay in history; {@link Duration#ZERO} keeps them
 * @param maxTasks     at most this many tasks in history; 0 for no bound
 * @param advertiseAddress a fleet node's {@code --advertise-address}, or {@code null} (default: the
 *                     API address and port)
 * @param leaseInterval a fleet node's {@code --lease-interval}, or {@code null} (default 1 s)
 * @param leaseDuration a fleet node's {@code --lease-duration}, or {@code null} (default 10 s)
 */
record HistoryOptions(String store, String user, String password, String nodeName, Duration retention,
                      long maxTasks, String advertiseAddress, Duration leaseInterval, Duration leaseDuration) {
    static final String STORE = "--store";
    static final String STORE_USER = "--store-user";
    static final String STORE_PASSWORD_FILE = "--store-password-file";
    static final String NODE_NAME = "--node-name";
    static final String HISTORY_RETENTION = "--history-retention";
    static final String HISTORY_MAX_TASKS = "--history-max-tasks";
    static final String ADVERTISE_ADDRESS = "--advertise-address";
    static final String LEASE_INTERVAL = "--lease-interval";
    static final String LEASE_DURATION = "--lease-duration";
    /** The flags that only a fleet (a PostgreSQL store) takes. */
    static final java.util.List<String> FLEET_OPTIONS = java.util.List.of(ADVERTISE_ADDRESS, LEASE_INTERVAL,
            LEASE_DURATION);

    static final String SQLITE = "sqlite";
    static final String MEMORY = "memory";
    static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    static final long DEFAULT_MAX_TASKS = 1_000_000;

    private static final Pattern AGE = Pattern.compile("([0-9]{1,9})(d|h|m|s)");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}");
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})"
            + "(:[0-9]{1,5})?");

    /** Whether there is a history at all. */
    boolean enabled() {
        return !store.equals(MEMORY);
    }

    boolean postgres() {
        return store.startsWith("jdbc:postgresql:");
    }

    /**
     * An age: whole days, hours, minutes or seconds ({@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}),
     * an ISO-8601 duration ({@code PT1H}, {@code P7D}, {@code PT1H30M}), or {@code 0} for "keep forever".
     *
     * @throws IllegalArgumentException naming the option and the value if it is none of those, or negative
     */
    static Duration parseAge(String option, String value) {
        String text = value.trim();
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher short_ = AGE.matcher(text.toLowerCase(Locale.ROOT));
        if (short_.matches()) {
            long n = Long.parseLong(short_.group(1));
            switch (short_.group(2)) {
                case "d": return Duration.ofDays(n);
                case "h": return Duration.ofHours(n);
                case "m": return Duration.ofMinutes(n);
                default: return Duration.ofSeconds(n);
            }
        }
        try {
            Duration parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                + "': expected an age such as 7d, 12h, 30m, 90s, an ISO-8601 duration such as PT1H, or 0 to keep "
                + "every task");
    }

    /** An age as {@link #parseAge} reads it: {@code 7d}, {@code 12h}, {@code 0}, else ISO-8601. */
    static String age(Duration age) {
        long seconds = age.getSeconds();
        if (age.getNano() != 0) {
            return age.toString();
        }
        if (seconds == 0) {
            return "0";
        }
        return seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3_600 == 0 ? seconds / 3_600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** The options as given on the command line, checked together once all are known. */
    static final class Builder {
        private String store;
        private String user;
        private Path passwordFile;
        private String nodeName;
        private Duration retention;
        private Long maxTasks;
        private String advertiseAddress;
        private Duration leaseInterval;
        private Duration leaseDuration;

        /**
         * Takes one history flag's value.
         *
         * @return false if {@code option} is not a history flag
         * @throws IllegalArgumentException naming the option and the value if the value is bad or the option repeated
         */
        boolean accept(String option, String value) {
            switch (option) {
                case STORE:
                    requireOnce(option, store);
                    if (!value.equals(SQLITE) && !value.equals(MEMORY) && !value.startsWith("jdbc:postgresql://")) {
                        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + STORE
                                + "': expected sqlite, memory or a jdbc:postgresql://HOST[:PORT]/DATABASE URL");
                    }
                    store = value;
                    return true;
                case STORE_USER:
                    requireOnce(option, user);
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("invalid value '' for option '" + STORE_USER + "'");
                    }
                    user = value;
                    return true;
                case STORE_PASSWORD_FILE:
                    requireOnce(option, passwordFile);
                    try {
                        passwordFile = Path.of(value);
                    } catch (InvalidPathException e) {
                        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                                + "': " + e.getReason());
                    }
                    return true;
                case NODE_NAME:
                    requireOnce(option, nodeName);
                    if (!NODE.matcher(value).matches()) {
                        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + NODE_NAME
                                + "': expected 1 to 255 letters, digits and . _ : @ -, starting with a letter or digit");
                    }
                    nodeName = value;
                    return true;
                case HISTORY_RETENTION:
                    requireOnce(option, retention);
                    retention = parseAge(option, value);
                    return true;
                case ADVERTISE_ADDRESS:
                    requireOnce(option, advertiseAddress);
                    if (!ADDRESS.matcher(value).matches() || value.contains(":") && !value.endsWith("]")
                            && Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)) > 65535) {
                        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                                + "': expected HOST:PORT, how other nodes and clients reach this server, e.g. "
                                + "node-1.example:10000");
                    }
                    advertiseAddress = value;
                    return true;
                case LEASE_INTERVAL:
                    requireOnce(option, leaseInterval);
                    leaseInterval = parseLease(option, value, Duration.ofMillis(100), Duration.ofMinutes(1));
                    return true;
                case LEASE_DURATION:
                    requireOnce(option, leaseDuration);
                    leaseDuration = parseLease(option, value, Duration.ofSeconds(1), Duration.ofHours(1));
                    return true;
                case HISTORY_MAX_TASKS:
                    requireOnce(option, maxTasks);
                    if (!value.matches("[0-9]{1,18}")) {
                        throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                                + "': expected a whole number of tasks, 0 for no bound");
                    }
                    maxTasks = Long.parseLong(value);
                    return true;
                default:
                    return false;
            }
        }

        /**
         * The options, with defaults for what was not given.
         *
         * @throws IllegalArgumentException for flags that do not go together, naming both, or a password
         *                                  file that cannot be read
         */
        HistoryOptions build(String defaultNodeName) {
            String engine = store != null ? store : SQLITE;
            if (!engine.startsWith("jdbc:")) {
                for (String option : new String[] {user != null ? STORE_USER : null,
                        passwordFile != null ? STORE_PASSWORD_FILE : null}) {
                    if (option != null) {
                        throw new IllegalArgumentException("option '" + option + "' is for --store jdbc:postgresql://..., "
                                + "not --store " + engine);
                    }
                }
            }
            if (engine.equals(MEMORY)) {
                for (String option : new String[] {retention != null ? HISTORY_RETENTION : null,
                        maxTasks != null ? HISTORY_MAX_TASKS : null, nodeName != null ? NODE_NAME : null}) {
                    if (option != null) {
                        throw new IllegalArgumentException("option '" + option + "' has no effect with --store memory, "
                                + "which keeps no history");
                    }
                }
            }
            if (!engine.startsWith("jdbc:")) {
                for (String option : new String[] {advertiseAddress != null ? ADVERTISE_ADDRESS : null,
                        leaseInterval != null ? LEASE_INTERVAL : null, leaseDuration != null ? LEASE_DURATION : null}) {
                    if (option != null) {
                        throw new IllegalArgumentException("option '" + option + "' is for a fleet on --store "
                                + "jdbc:postgresql://...; --store " + engine + " serves one node only");
                    }
                }
            }
            Duration interval = leaseInterval != null ? leaseInterval : Duration.ofSeconds(1);
            Duration duration = leaseDuration != null ? leaseDuration : Duration.ofSeconds(10);
            if (duration.compareTo(interval.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("option '" + LEASE_DURATION + "' (" + age(duration) + ") must be at "
                        + "least three times '" + LEASE_INTERVAL + "' (" + age(interval) + "), so that a late renewal "
                        + "does not lose the lease");
            }
            return new HistoryOptions(engine, user, password(), nodeName != null ? nodeName : defaultNodeName,
                    retention != null ? retention : DEFAULT_RETENTION, maxTasks != null ? maxTasks : DEFAULT_MAX_TASKS,
                    advertiseAddress, leaseInterval, leaseDuration);
        }

        /** A lease setting: {@code 500ms}, {@code 1s}, {@code 10s}, or an ISO-8601 duration, within bounds. */
        private static Duration parseLease(String option, String value, Duration min, Duration max) {
            Duration parsed;
            String text = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (text.matches("[0-9]{1,9}ms")) {
                    parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                } else if (text.matches("[0-9]{1,9}s")) {
                    parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
                } else {
                    parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
                }
            } catch (DateTimeParseException e) {
                parsed = null;
            }
            if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                        + "': expected a duration from " + age(min).replace("PT0.1S", "100ms") + " to " + age(max)
                        + ", such as 500ms, 1s, 10s or PT2S");
            }
            return parsed;
        }

        private String password() {
            if (passwordFile == null) {
                return null;
            }
            try {
                String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                return text.endsWith("\n") ? text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1)) : text;
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("invalid value '" + passwordFile + "' for option '"
                        + STORE_PASSWORD_FILE + "': cannot read it: " + e.getMessage());
            }
        }

        private static void requireOnce(String option, Object current) {
            if (current != null) {
                throw new IllegalArgumentException("option '" + option + "' is given more than once");
            }
        }
    }
}
