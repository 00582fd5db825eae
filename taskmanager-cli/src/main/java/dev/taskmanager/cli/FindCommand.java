package dev.taskmanager.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The listings of the v2 API, {@code GET /v2/tasks}: {@code tasks find} (every filter, one page or
 * {@code --all}) and {@code tasks list MODULE --wide} (a module's tasks in order of sequence
 * number, with their progress).
 *
 * <p><b>Text</b> is a table, one row per task: for {@code find} {@value #FIND_HEADER}; for
 * {@code list --wide} nodetool's columns with {@code progress} after {@code state}. Times are
 * cut to the second, the state is the v2 one ({@code aborted} included), progress is
 * {@link Progress#text}. Pages are printed as they arrive ({@link PagedTable}: columns only
 * widen). When {@code find} shows one page of several, a note on stderr gives the next page's
 * token.
 *
 * <p><b>JSON</b> is the server's page as sent, {@code {"tasks": [...], "next_page_token": "...",
 * "total_size": N}}; across every page ({@code --all}, {@code --wide}) one such document with
 * every task, {@code next_page_token} {@code ""} and the first page's {@code total_size},
 * written as the pages arrive, never held whole.
 *
 * <p><b>Memory</b> holds one page (at most 1000 tasks). A request that fails after the first page
 * leaves what was printed (a JSON document then ends unclosed) and exits 4, like every failed
 * request. A server that answers the same {@code next_page_token} twice in a row is a failed
 * request, not an endless loop.
 */
final class FindCommand {

    static final String PATH = "/v2/tasks";
    /** The page size asked for when every page is listed and none was given: the largest. */
    static final String ALL_PAGE_SIZE = "1000";

    private static final String FIND_HEADER = "id module type state progress entity created error";

    /**
     * Each filter option and its query parameter. Flags send {@code true}; repeatable options one
     * parameter per value. Adding a filter of the API (the fleet's {@code cluster=true}) is a
     * constant in {@link Option}, a line here and its place in {@link Subcommand#FIND}'s options.
     */
    private static final List<Map.Entry<Option, String>> FILTERS = List.of(
            Map.entry(Option.MODULE, "module"),
            Map.entry(Option.STATE, "state"),
            Map.entry(Option.TYPE, "type"),
            Map.entry(Option.KIND, "kind"),
            Map.entry(Option.SCOPE, "scope"),
            Map.entry(Option.KEYSPACE, "keyspace"),
            Map.entry(Option.TABLE, "table"),
            Map.entry(Option.ENTITY_PREFIX, "entity_prefix"),
            Map.entry(Option.PARENT, "parent"),
            Map.entry(Option.LABEL, "label"),
            Map.entry(Option.CREATED_AFTER, "created_after"),
            Map.entry(Option.CREATED_BEFORE, "created_before"),
            Map.entry(Option.FINISHED_AFTER, "finished_after"),
            Map.entry(Option.FINISHED_BEFORE, "finished_before"),
            Map.entry(Option.USER_TASK, "user_task"),
            Map.entry(Option.INTERNAL, "internal"),
            Map.entry(Option.ORDER_BY, "order_by"));

    /** What a view prints of each task. */
    private record View(List<String> header, Function<Json.Obj, List<String>> row) {
    }

    private static final View FIND = new View(List.of(FIND_HEADER.split(" ")), task -> List.of(
            Cells.orEmpty(task.get("id")), Cells.orEmpty(task.get("module")),
            Cells.orEmpty(task.get("type")), Cells.orEmpty(task.get("state")), progress(task),
            Cells.orEmpty(task.get("entity")), Cells.secondsTime(task.get("created_time")),
            Cells.orEmpty(task.get("error"))));

    private static final View WIDE = new View(List.of("task_id", "type", "kind", "scope", "state",
            "progress", "sequence_number", "keyspace", "table", "entity", "shard", "start_time",
            "end_time"), task -> List.of(
            Cells.orEmpty(task.get("id")), Cells.orEmpty(task.get("type")),
            Cells.orEmpty(task.get("kind")), Cells.orEmpty(task.get("scope")),
            Cells.orEmpty(task.get("state")), progress(task),
            Cells.orEmpty(task.get("sequence_number")), Cells.orEmpty(task.get("keyspace")),
            Cells.orEmpty(task.get("table")), Cells.orEmpty(task.get("entity")),
            Cells.orEmpty(task.get("shard")), Cells.secondsTime(task.get("start_time")),
            Cells.secondsTime(task.get("end_time"))));

    /** One page as the server sent it. */
    private record Page(Json.Obj document, List<Json> tasks, String next, Json totalSize) {
    }

    private final RestClient client;
    private final Session session;
    private final boolean json;

    FindCommand(RestClient client, Session session, OutputFormat format) {
        this.client = client;
        this.session = session;
        this.json = format == OutputFormat.JSON;
    }

    /** {@code tasks find}: one page (from {@code --page-token}), or with {@code --all} every page. */
    int find(Invocation invocation) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (Map.Entry<Option, String> filter : FILTERS) {
            Option option = filter.getKey();
            for (String value : invocation.all(option)) {
                params.add(param(filter.getValue(), option.takesValue() ? value : "true"));
            }
        }
        boolean all = invocation.has(Option.ALL);
        String pageSize = invocation.has(Option.PAGE_SIZE) ? invocation.value(Option.PAGE_SIZE)
                : all ? ALL_PAGE_SIZE : null;
        if (pageSize != null) {
            params.add(param("page_size", pageSize));
        }
        String token = invocation.value(Option.PAGE_TOKEN);
        if (all) {
            listEveryPage(params, token, FIND);
            return 0;
        }
        Page page = fetch(params, token);
        if (json) {
            print(page.document().toJsonText() + "\n");
            return 0;
        }
        print(new PagedTable(FIND.header()).page(rows(page, FIND)));
        if (!page.next().isEmpty()) {
            session.err().print("more tasks match (" + TerminalText.escape(Cells.text(
                    page.totalSize())) + " in all): add --page-token "
                    + TerminalText.escape(page.next()) + " for the next page, or --all\n");
            session.err().flush();
        }
        return 0;
    }

    /**
     * {@code tasks list MODULE --wide}: every page of the module's tasks by sequence number, with
     * the compat filters ({@code --internal}, {@code --keyspace}, {@code --table}); with
     * {@code --iterations}, again every interval, as the compat list does (text: two blank lines
     * between listings; JSON: one document per line).
     */
    int wide(Invocation invocation, long iterations, Duration interval) throws InterruptedException {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(param("module", invocation.positional()));
        if (invocation.has(Option.KEYSPACE)) {
            params.add(param("keyspace", invocation.value(Option.KEYSPACE)));
        }
        if (invocation.has(Option.TABLE)) {
            params.add(param("table", invocation.value(Option.TABLE)));
        }
        if (invocation.has(Option.INTERNAL)) {
            params.add(param("internal", "true"));
        }
        params.add(param("order_by", "sequence_number"));
        params.add(param("page_size", ALL_PAGE_SIZE));
        listEveryPage(params, null, WIDE);
        for (long i = 0; i < iterations; i++) {
            session.sleeper().sleep(interval);
            if (!json) {
                print("\n\n");
            }
            listEveryPage(params, null, WIDE);
        }
        return 0;
    }

    /** Every page from {@code token} on, printed as each arrives. */
    private void listEveryPage(List<Map.Entry<String, String>> params, String token, View view) {
        Page page = fetch(params, token);
        Json totalSize = page.totalSize();
        PagedTable table = new PagedTable(view.header());
        boolean first = true;
        if (json) {
            print("{\"tasks\":[");
        }
        while (true) {
            if (json) {
                StringBuilder sb = new StringBuilder();
                for (Json task : page.tasks()) {
                    sb.append(first ? "" : ",").append(task.toJsonText());
                    first = false;
                }
                print(sb.toString());
            } else {
                print(table.page(rows(page, view)));
            }
            if (page.next().isEmpty()) {
                break;
            }
            String previous = page.next();
            page = fetch(params, previous);
            if (page.next().equals(previous)) {
                throw new CliException(CliException.REQUEST_FAILED, "error: GET " + PATH
                        + " answered the same next_page_token twice in a row: "
                        + TerminalText.escape(previous));
            }
        }
        if (json) {
            print("],\"next_page_token\":\"\",\"total_size\":"
                    + (totalSize == null ? "null" : totalSize.toJsonText()) + "}\n");
        }
    }

    /** One page: its document must be an object with a {@code tasks} array. */
    private Page fetch(List<Map.Entry<String, String>> params, String token) {
        List<Map.Entry<String, String>> query = new ArrayList<>(params);
        if (token != null && !token.isEmpty()) {
            query.add(param("page_token", token));
        }
        Json answer = client.get(PATH, query);
        if (answer instanceof Json.Obj document && document.get("tasks") instanceof Json.Arr tasks) {
            String next = document.get("next_page_token") instanceof Json.Str s ? s.value() : "";
            return new Page(document, tasks.elements(), next, document.get("total_size"));
        }
        throw RestClient.unexpected("GET", PATH, answer.toJsonText(),
                "an object with a \"tasks\" array");
    }

    private static List<List<String>> rows(Page page, View view) {
        List<List<String>> rows = new ArrayList<>();
        for (Json task : page.tasks()) {
            rows.add(view.row().apply(task instanceof Json.Obj o ? o : new Json.Obj(List.of())));
        }
        return rows;
    }

    private static String progress(Json.Obj task) {
        if (!(task.get("progress") instanceof Json.Obj progress)) {
            return "";
        }
        return Progress.text(Cells.orEmpty(progress.get("units")), progress.get("completed"),
                progress.get("total"));
    }

    private static Map.Entry<String, String> param(String name, String value) {
        return Map.entry(name, value);
    }

    private void print(String text) {
        PrintStream out = session.out();
        out.print(text);
        out.flush();
    }
}
