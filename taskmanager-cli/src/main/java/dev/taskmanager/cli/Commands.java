package dev.taskmanager.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each subcommand of SPEC §14.1: which requests it sends, in which order, and what it prints.
 * Failures propagate as {@link CliException}s except where a status has a meaning of its own
 * (403 for {@code abort}, 408 and {@code --quiet} for {@code wait}, 400 while {@code tree} walks
 * every module), as in nodetool.
 *
 * <p>One instance per invocation; output goes to {@code out} only (errors are the caller's).
 */
final class Commands {

    /** {@code wait --quiet}: the task ended {@code failed}. */
    static final int WAIT_TASK_FAILED = 123;
    /** {@code wait --quiet}: the server answered 408. */
    static final int WAIT_TIMED_OUT = 124;
    /** {@code wait --quiet}: any other failure (error status, no connection, bad body). */
    static final int WAIT_ERROR = 125;

    private static final List<String> LIST_COLUMNS = List.of("task_id", "type", "kind", "scope",
            "state", "sequence_number", "keyspace", "table", "entity", "shard", "start_time",
            "end_time");

    /** Header of {@code tree}; the keys read for each column are in {@link #TREE_KEYS}. */
    private static final List<String> TREE_COLUMNS = List.of("id", "type", "kind", "scope",
            "state", "is_abortable", "start_time", "end_time", "error", "parent_id",
            "sequence_number", "shard", "keyspace", "table", "entity", "progress_units", "total",
            "completed", "children_ids");

    private static final List<String> TREE_KEYS = List.of("id", "type", "kind", "scope",
            "state", "is_abortable", "start_time", "end_time", "error", "parent_id",
            "sequence_number", "shard", "keyspace", "table", "entity", "progress_units",
            "progress_total", "progress_completed", "children_ids");

    private static final int DEFAULT_INTERVAL_SECONDS = 10;

    private final RestClient client;
    private final PrintStream out;
    private final Sleeper sleeper;

    Commands(RestClient client, PrintStream out, Sleeper sleeper) {
        this.client = client;
        this.out = out;
        this.sleeper = sleeper;
    }

    /** Runs the invocation's subcommand and returns its exit code. */
    int run(Invocation invocation) {
        return switch (invocation.subcommand()) {
            case MODULES -> modules();
            case LIST -> list(invocation);
            case STATUS -> status(invocation.positional());
            case TREE -> tree(invocation.positional());
            case WAIT -> waitFor(invocation);
            case ABORT -> abort(invocation.positional());
            case DRAIN -> drain(invocation.value(Option.MODULE));
            case TTL -> ttl("ttl", "Current ttl: ", invocation.value(Option.SET));
            case USER_TTL -> ttl("user_ttl", "Current user ttl: ", invocation.value(Option.SET));
        };
    }

    private int modules() {
        StringBuilder sb = new StringBuilder();
        for (Json module : listModules().elements()) {
            sb.append(Cells.text(module)).append('\n');
        }
        print(sb.toString());
        return 0;
    }

    /**
     * Lists, then {@code iterations} times: sleep, two blank lines, list again (n+1 requests).
     * Filters are sent only when given; {@code internal=true} only with {@code --internal}.
     */
    private int list(Invocation invocation) {
        String path = RestClient.path("list_module_tasks", invocation.positional());
        Map<String, String> params = new LinkedHashMap<>();
        if (invocation.has(Option.KEYSPACE)) {
            params.put("keyspace", invocation.value(Option.KEYSPACE));
        }
        if (invocation.has(Option.TABLE)) {
            params.put("table", invocation.value(Option.TABLE));
        }
        if (invocation.has(Option.INTERNAL)) {
            params.put("internal", "true");
        }
        long interval = invocation.has(Option.INTERVAL)
                ? Long.parseLong(invocation.value(Option.INTERVAL)) : DEFAULT_INTERVAL_SECONDS;
        long iterations = invocation.has(Option.ITERATIONS)
                ? Long.parseLong(invocation.value(Option.ITERATIONS)) : 0;

        print(statsTable(client.getArray(path, params)));
        for (long i = 0; i < iterations; i++) {
            sleep(Duration.ofSeconds(interval));
            print("\n\n");
            print(statsTable(client.getArray(path, params)));
        }
        return 0;
    }

    private int status(String id) {
        print(StatusPrinter.render(
                client.getObject(RestClient.path("task_status", id), Map.of())));
        return 0;
    }

    /**
     * With an id: that task's recursive status. Without: for each module in turn, its listed
     * tasks (no filters, so not the internal ones) and the recursive status of each, skipping
     * tasks that answer 400 (they were unregistered between the list and the status). The table is
     * printed once, at the end.
     */
    private int tree(String id) {
        Table table = new Table(TREE_COLUMNS);
        if (id != null) {
            addStatuses(table, client.getArray(RestClient.path("task_status_recursive", id),
                    Map.of()));
        } else {
            for (Json module : listModules().elements()) {
                Json.Arr tasks = client.getArray(
                        RestClient.path("list_module_tasks", Cells.text(module)), Map.of());
                for (Json task : tasks.elements()) {
                    Json taskId = task instanceof Json.Obj stats ? stats.get("task_id") : null;
                    if (taskId == null) {
                        continue; // nothing to ask about
                    }
                    try {
                        addStatuses(table, client.getArray(
                                RestClient.path("task_status_recursive", Cells.text(taskId)),
                                Map.of()));
                    } catch (RequestFailedException e) {
                        if (e.status() != 400) {
                            throw e;
                        }
                    }
                }
            }
        }
        print(table.render());
        return 0;
    }

    /**
     * Without {@code --quiet}: status lines, or {@code Operation timed out} on 408 (exit 0, as in
     * nodetool), other failures as usual. With it: nothing printed at all, the outcome is the exit
     * code only — 123 if the state is {@code failed}, 0 for any other state (or none), 124 on 408,
     * 125 for anything else, including a body that is not a status object.
     */
    private int waitFor(Invocation invocation) {
        boolean quiet = invocation.has(Option.QUIET);
        Map<String, String> params = new LinkedHashMap<>();
        if (invocation.has(Option.TIMEOUT)) {
            params.put("timeout", invocation.value(Option.TIMEOUT));
        }
        String path = RestClient.path("wait_task", invocation.positional());
        try {
            Json.Obj status = client.getObject(path, params);
            if (quiet) {
                Json state = status.get("state");
                return state instanceof Json.Str s && s.value().equals("failed")
                        ? WAIT_TASK_FAILED : 0;
            }
            print(StatusPrinter.render(status));
            return 0;
        } catch (RequestFailedException e) {
            if (e.status() == 408) {
                if (quiet) {
                    return WAIT_TIMED_OUT;
                }
                print("Operation timed out\n");
                return 0;
            }
            if (quiet) {
                return WAIT_ERROR;
            }
            throw e;
        } catch (CliException e) {
            if (quiet) {
                return WAIT_ERROR;
            }
            throw e;
        }
    }

    private int abort(String id) {
        try {
            client.post(RestClient.path("abort_task", id), Map.of());
        } catch (RequestFailedException e) {
            if (e.status() != 403) {
                throw e;
            }
            print("Task with id " + id + " is not abortable\n");
        }
        return 0;
    }

    private int drain(String module) {
        if (module != null) {
            client.post(RestClient.path("drain", module), Map.of());
            return 0;
        }
        for (Json each : listModules().elements()) {
            client.post(RestClient.path("drain", Cells.text(each)), Map.of());
        }
        return 0;
    }

    /** Prints whatever JSON value the server returned (§14.5), or sets the value silently. */
    private int ttl(String endpoint, String label, String newValue) {
        String path = "/task_manager/" + endpoint;
        if (newValue != null) {
            client.post(path, Map.of(endpoint, newValue));
        } else {
            print(label + client.get(path, Map.of()).toJsonText() + "\n");
        }
        return 0;
    }

    private Json.Arr listModules() {
        return client.getArray("/task_manager/list_modules", Map.of());
    }

    /** One row per {@code task_stats}; missing keys are empty cells, extra keys are ignored. */
    private static String statsTable(Json.Arr stats) {
        Table table = new Table(LIST_COLUMNS);
        for (Json element : stats.elements()) {
            Json.Obj entry = element instanceof Json.Obj o ? o : new Json.Obj(List.of());
            table.add(LIST_COLUMNS.stream().map(key -> key.endsWith("_time")
                    ? Cells.time(entry.get(key)) : Cells.text(entry.get(key))).toList());
        }
        return table.render();
    }

    /**
     * One row per {@code task_status}. A missing key is an empty cell — {@code children_ids}
     * included: {@code []} is printed only when the server sent an empty list.
     */
    private static void addStatuses(Table table, Json.Arr statuses) {
        for (Json element : statuses.elements()) {
            Json.Obj status = element instanceof Json.Obj o ? o : new Json.Obj(List.of());
            table.add(TREE_KEYS.stream().map(key -> cell(key, status.get(key))).toList());
        }
    }

    private static String cell(String key, Json value) {
        return switch (key) {
            case "start_time", "end_time" -> Cells.time(value);
            case "children_ids" -> Cells.list(value);
            default -> Cells.text(value);
        };
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REQUEST_FAILED, "error: interrupted");
        }
    }

    private void print(String text) {
        out.print(text);
        out.flush();
    }
}
