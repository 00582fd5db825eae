package dev.taskmanager.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each subcommand: those of SPEC §14.1, which requests they send, in which order, and what
 * they print, as text (nodetool's output, byte for byte) or, with {@code --output json}, as one
 * JSON document (the documents are listed in {@code docs/cli.md}); and ours on the v2 API,
 * {@code abort --reason} here, {@code find} and {@code list --wide} in {@link FindCommand},
 * {@code watch} in {@link WatchCommand}. Failures propagate as {@link CliException}s except where
 * a status has a meaning of its own (403 and 409 for {@code abort}, 408 and {@code --quiet} for
 * {@code wait}, 400 while {@code tree} walks every module, everything for {@code watch}), as in
 * nodetool; on a failure nothing more is printed on {@code out}, so a JSON document is printed
 * whole or not at all (except a listing of every page, see {@link FindCommand}).
 *
 * <p>Text that came from the server is escaped ({@link TerminalText}) in text output; JSON output
 * carries the exact values, JSON-escaped.
 *
 * <p>One instance per invocation; results go to the session's {@code out}, errors are the
 * caller's (a few notes go to its {@code err}).
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

    private static final int DEFAULT_INTERVAL_SECONDS = 10;

    private final RestClient client;
    private final Session session;
    private final PrintStream out;
    private final OutputFormat format;
    private final boolean json;

    Commands(RestClient client, Session session, OutputFormat format) {
        this.client = client;
        this.session = session;
        this.out = session.out();
        this.format = format;
        this.json = format == OutputFormat.JSON;
    }

    /** Runs the invocation's subcommand and returns its exit code. */
    int run(Invocation invocation) {
        return switch (invocation.subcommand()) {
            case MODULES -> modules();
            case LIST -> list(invocation);
            case STATUS -> status(invocation.positional());
            case TREE -> tree(invocation.positional(), invocation.has(Option.COMPACT));
            case WAIT -> waitFor(invocation);
            case ABORT -> invocation.has(Option.REASON)
                    ? abortWithReason(invocation.positional(), invocation.value(Option.REASON))
                    : abort(invocation.positional());
            case DRAIN -> drain(invocation.value(Option.MODULE));
            case TTL -> ttl("ttl", "Current ttl: ", invocation.value(Option.SET));
            case USER_TTL -> ttl("user_ttl", "Current user ttl: ", invocation.value(Option.SET));
            case FIND -> new FindCommand(client, session, format).find(invocation);
            case WATCH -> watch(invocation);
        };
    }

    /** {@code watch}: an interval of at least a second (0 would poll without a pause). */
    private int watch(Invocation invocation) {
        Duration interval = WatchCommand.DEFAULT_INTERVAL;
        if (invocation.has(Option.INTERVAL)) {
            long seconds = Long.parseLong(invocation.value(Option.INTERVAL));
            if (seconds == 0) {
                throw new CliException(CliException.BAD_ARGUMENTS, "error: the argument ('0') for "
                        + "option '--interval' is invalid (watch looks at most once a second)");
            }
            interval = Duration.ofSeconds(seconds);
        }
        Duration timeout = invocation.has(Option.TIMEOUT)
                ? Duration.ofSeconds(Long.parseLong(invocation.value(Option.TIMEOUT))) : null;
        return new WatchCommand(client, session, format).run(invocation.positional(), interval,
                timeout);
    }

    /** Text: one name per line. JSON: the array of names as the server sent it. */
    private int modules() {
        Json.Arr modules = listModules();
        if (json) {
            printJson(modules);
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        for (Json module : modules.elements()) {
            sb.append(TerminalText.escape(Cells.text(module))).append('\n');
        }
        print(sb.toString());
        return 0;
    }

    /**
     * Lists, then {@code iterations} times: sleep, two blank lines, list again (n+1 requests).
     * Filters are sent only when given; {@code internal=true} only with {@code --internal}. JSON:
     * each listing is the server's array, on a line of its own (no blank lines). With
     * {@code --wide}, the same through the v2 API ({@link FindCommand#wide}).
     */
    private int list(Invocation invocation) {
        long interval = invocation.has(Option.INTERVAL)
                ? Long.parseLong(invocation.value(Option.INTERVAL)) : DEFAULT_INTERVAL_SECONDS;
        long iterations = invocation.has(Option.ITERATIONS)
                ? Long.parseLong(invocation.value(Option.ITERATIONS)) : 0;
        if (invocation.has(Option.WIDE)) {
            try {
                return new FindCommand(client, session, format).wide(invocation, iterations,
                        Duration.ofSeconds(interval));
            } catch (InterruptedException e) {
                throw interrupted();
            }
        }
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

        printListing(client.getArray(path, params));
        for (long i = 0; i < iterations; i++) {
            sleep(Duration.ofSeconds(interval));
            if (!json) {
                print("\n\n");
            }
            printListing(client.getArray(path, params));
        }
        return 0;
    }

    private void printListing(Json.Arr stats) {
        if (json) {
            printJson(stats);
        } else {
            print(statsTable(stats));
        }
    }

    /** Text: status lines. JSON: the server's object. */
    private int status(String id) {
        Json.Obj status = client.getObject(RestClient.path("task_status", id), Map.of());
        print(json ? status.toJsonText() + "\n" : StatusPrinter.render(status));
        return 0;
    }

    /**
     * With an id: that task's recursive status. Without: for each module in turn, its listed
     * tasks (no filters, so not the internal ones) and the recursive status of each, skipping
     * tasks that answer 400 (they were unregistered between the list and the status). Printed
     * once, at the end: nodetool's table, the compact view, or one JSON array of every status.
     */
    private int tree(String id, boolean compact) {
        List<Json> statuses = new ArrayList<>();
        if (id != null) {
            statuses.addAll(client.getArray(RestClient.path("task_status_recursive", id),
                    Map.of()).elements());
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
                        statuses.addAll(client.getArray(
                                RestClient.path("task_status_recursive", Cells.text(taskId)),
                                Map.of()).elements());
                    } catch (RequestFailedException e) {
                        if (e.status() != 400) {
                            throw e;
                        }
                    }
                }
            }
        }
        if (json) {
            printJson(new Json.Arr(statuses));
        } else {
            print(compact ? TreeView.compact(statuses) : TreeView.table(statuses));
        }
        return 0;
    }

    /**
     * Without {@code --quiet}: status lines (JSON: the final status object), or on 408
     * {@code Operation timed out} (JSON: {@code {"id": ..., "timed_out": true}}), exit 0 either
     * way, as in nodetool; other failures as usual. With it: nothing printed at all, whatever the
     * format; the outcome is the exit code only: 123 if the state is {@code failed}, 0 for any
     * other state (or none), 124 on 408, 125 for anything else, including a body that is not a
     * status object.
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
            print(json ? status.toJsonText() + "\n" : StatusPrinter.render(status));
            return 0;
        } catch (RequestFailedException e) {
            if (e.status() == 408) {
                if (quiet) {
                    return WAIT_TIMED_OUT;
                }
                if (json) {
                    printJson(object("id", new Json.Str(invocation.positional()),
                            "timed_out", new Json.Bool(true)));
                } else {
                    print("Operation timed out\n");
                }
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

    /**
     * Text: nothing, or on 403 {@code Task with id <id> is not abortable} (exit 0). JSON:
     * {@code {"id": ..., "abort_requested": true}}, or on 403
     * {@code {"id": ..., "abort_requested": false, "error": <the server's message>}}.
     */
    private int abort(String id) {
        try {
            client.post(RestClient.path("abort_task", id), Map.of());
            if (json) {
                printJson(object("id", new Json.Str(id), "abort_requested", new Json.Bool(true)));
            }
        } catch (RequestFailedException e) {
            if (e.status() != 403) {
                throw e;
            }
            if (json) {
                printJson(object("id", new Json.Str(id), "abort_requested", new Json.Bool(false),
                        "error", new Json.Str(e.serverMessage())));
            } else {
                print("Task with id " + TerminalText.escape(id) + " is not abortable\n");
            }
        }
        return 0;
    }

    /**
     * {@code abort ID --reason TEXT}: {@code POST /v2/tasks/{id}:abort} with {@code {"reason"}}
     * and an {@code X-Request-Id} naming who asks ({@link Requester}). Text: nothing; on 403 the
     * compat message (exit 0); on 409 {@code Task with id <id> already finished (<state>); nothing
     * to abort} (exit 0, as the compat route answers an abort of a finished task with 200); a 404
     * or any other error is a failed request (exit 4). JSON: the task the server answered; on 403
     * the compat document; on 409 {@code {"id": ..., "abort_requested": false,
     * "already_finished": true, "task": <the task as it ended>}}.
     */
    private int abortWithReason(String id, String reason) {
        String body = object("reason", new Json.Str(reason)).toJsonText();
        try {
            Json task = client.post(RestClient.v2Task(id, ":abort"), Map.of(), body,
                    Map.of("X-Request-Id", Requester.requestId()));
            if (json) {
                printJson(task == null ? object() : task);
            }
        } catch (RequestFailedException e) {
            Json.Obj problem = e.body() instanceof Json.Obj o ? o : new Json.Obj(List.of());
            if (e.status() == 403) {
                if (json) {
                    printJson(object("id", new Json.Str(id), "abort_requested",
                            new Json.Bool(false), "error", new Json.Str(e.serverMessage())));
                } else {
                    print("Task with id " + TerminalText.escape(id) + " is not abortable\n");
                }
            } else if (e.status() == 409) {
                Json task = problem.get("task") == null ? Json.Null.INSTANCE : problem.get("task");
                if (json) {
                    printJson(object("id", new Json.Str(id), "abort_requested",
                            new Json.Bool(false), "already_finished", new Json.Bool(true),
                            "task", task));
                } else {
                    String state = task instanceof Json.Obj t ? TaskTree.state(t) : "";
                    print("Task with id " + TerminalText.escape(id) + " already finished"
                            + (state.isEmpty() ? "" : " (" + TerminalText.escape(state) + ")")
                            + "; nothing to abort\n");
                }
            } else {
                throw e;
            }
        }
        return 0;
    }

    /** Text: nothing. JSON: {@code {"drained": [<module>, ...]}}, in the order drained. */
    private int drain(String module) {
        List<Json> drained = new ArrayList<>();
        if (module != null) {
            client.post(RestClient.path("drain", module), Map.of());
            drained.add(new Json.Str(module));
        } else {
            for (Json each : listModules().elements()) {
                client.post(RestClient.path("drain", Cells.text(each)), Map.of());
                drained.add(each);
            }
        }
        if (json) {
            printJson(object("drained", new Json.Arr(drained)));
        }
        return 0;
    }

    /**
     * Prints whatever JSON value the server returned (§14.5), or sets the value silently. JSON:
     * {@code {"<endpoint>": <value as sent>}}; with {@code --set},
     * {@code {"<endpoint>": <new value>, "previous": <what the server answered>}}, without
     * {@code previous} when the server answered nothing readable.
     */
    private int ttl(String endpoint, String label, String newValue) {
        String path = "/task_manager/" + endpoint;
        if (newValue != null) {
            Json previous = client.post(path, Map.of(endpoint, newValue));
            if (json) {
                Json set = new Json.Num(Long.toString(Long.parseLong(newValue)));
                printJson(previous == null ? object(endpoint, set)
                        : object(endpoint, set, "previous", previous));
            }
        } else {
            Json value = client.get(path, Map.of());
            if (json) {
                printJson(object(endpoint, value));
            } else {
                print(label + TerminalText.escape(value.toJsonText()) + "\n");
            }
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

    /** An object of alternating names and values. */
    private static Json.Obj object(Object... namesAndValues) {
        List<Json.Member> members = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.add(new Json.Member((String) namesAndValues[i], (Json) namesAndValues[i + 1]));
        }
        return new Json.Obj(members);
    }

    private void sleep(Duration duration) {
        try {
            session.sleeper().sleep(duration);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private static CliException interrupted() {
        Thread.currentThread().interrupt();
        return new CliException(CliException.REQUEST_FAILED, "error: interrupted");
    }

    private void printJson(Json document) {
        print(document.toJsonText() + "\n");
    }

    private void print(String text) {
        out.print(text);
        out.flush();
    }
}
