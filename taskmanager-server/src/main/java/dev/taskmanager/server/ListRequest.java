package dev.taskmanager.server;

import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The filters of {@code GET /v2/tasks} and {@code POST /v2/tasks:abort}, parsed from the query
 * string into the core's {@link TaskQuery}, plus the listing's canonical form that page tokens are
 * signed over (so a token is refused with other filters or another order). Every bad value is a
 * 400 naming the parameter and the value. Immutable.
 */
final class ListRequest {
    /** The default and largest page sizes. */
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    /** The filters, shared by the list and the bulk abort. */
    static final Set<String> FILTERS = Set.of("module", "state", "type", "kind", "scope", "keyspace", "table",
            "entity_prefix", "parent", "label", "created_after", "created_before", "finished_after",
            "finished_before", "user_task", "internal");
    /** What the list takes besides the filters. */
    static final Set<String> PAGING = Set.of("order_by", "page_size", "page_token", "cluster");
    static final Set<String> REPEATABLE = Set.of("state", "label");

    private final TaskQuery query;
    private final String canonical;
    private final PageTokens.Position position;
    private final boolean cluster;

    private ListRequest(TaskQuery query, String canonical, PageTokens.Position position, boolean cluster) {
        this.query = query;
        this.canonical = canonical;
        this.position = position;
        this.cluster = cluster;
    }

    /** Whether every node's tasks are listed ({@code cluster=true}), not only this server's. */
    boolean cluster() {
        return cluster;
    }

    /** The query: filters, order, page size and, past the first page, the cursor. */
    TaskQuery query() {
        return query;
    }

    /** The listing's canonical filters and order, which its page tokens are signed over. */
    String canonical() {
        return canonical;
    }

    /** Where the previous page ended, or {@code null} on a first page. */
    PageTokens.Position position() {
        return position;
    }

    /** A list request: filters, order, page size and token. */
    static ListRequest forList(QueryParams params, PageTokens tokens) {
        params.check(union(FILTERS, PAGING), REPEATABLE);
        TaskQuery.Builder builder = TaskQuery.builder();
        Map<String, String> canonical = filters(params, builder);
        String orderBy = params.get("order_by").orElse("created_time");
        switch (orderBy.trim().replaceAll(" +", " ").toLowerCase(Locale.ROOT)) {
            case "created_time":
            case "created_time asc":
                canonical.put("order_by", "created_time");
                break;
            case "created_time desc":
                builder.descending(true);
                canonical.put("order_by", "created_time desc");
                break;
            case "sequence_number":
            case "sequence_number asc":
                builder.order(TaskQuery.Order.SEQUENCE);
                canonical.put("order_by", "sequence_number");
                break;
            case "sequence_number desc":
                builder.order(TaskQuery.Order.SEQUENCE).descending(true);
                canonical.put("order_by", "sequence_number desc");
                break;
            default:
                throw Params.invalid("order_by", orderBy, "expected created_time or sequence_number, optionally "
                        + "followed by ' desc' (e.g. order_by=created_time%20desc)");
        }
        int pageSize = params.wholeNumber("page_size", 1, MAX_PAGE_SIZE).map(Long::intValue).orElse(DEFAULT_PAGE_SIZE);
        builder.limit(pageSize);
        boolean cluster = params.bool("cluster").orElse(false);
        if (cluster) {
            canonical.put("cluster", "true"); // a token of one node's listing does not continue the fleet's
        }
        String signed = encode(canonical);
        PageTokens.Position position = null;
        Optional<String> token = params.get("page_token");
        if (token.isPresent() && !token.get().isEmpty()) {
            position = tokens.decode(token.get(), signed);
            builder.after(new TaskCursor(position.sequenceNumber(), position.createdTime(), position.id()));
        }
        return new ListRequest(builder.build(), signed, position, cluster);
    }

    /**
     * A bulk-abort request: the filters only, at least one of them (an empty filter would abort every
     * task), pages of {@code pageSize}.
     */
    static ListRequest forAbort(QueryParams params, int pageSize) {
        params.check(FILTERS, REPEATABLE);
        if (!params.hasAny(FILTERS)) {
            throw ApiException.badRequest("refusing to abort every task: give at least one filter, e.g. "
                    + "module=files or state=running (state=running aborts everything that runs)").about("module", null);
        }
        TaskQuery.Builder builder = TaskQuery.builder();
        Map<String, String> canonical = filters(params, builder);
        builder.limit(pageSize);
        return new ListRequest(builder.build(), encode(canonical), null, false);
    }

    /** Parses every filter into the builder; returns their canonical values by name. */
    private static Map<String, String> filters(QueryParams params, TaskQuery.Builder builder) {
        Map<String, String> canonical = new TreeMap<>();
        params.nonEmpty("module").ifPresent(v -> canonical.put("module", set(builder::module, v)));
        List<String> states = params.all("state");
        if (!states.isEmpty()) {
            EnumSet<TaskQuery.State> selected = EnumSet.noneOf(TaskQuery.State.class);
            for (String given : states) {
                for (String name : given.split(",", -1)) {
                    TaskQuery.State state = TaskQuery.State.fromWireName(name.trim());
                    if (state == null) {
                        throw Params.invalid("state", given, "expected one or more of created, running, stalled, "
                                + "abort_requested, done, failed, aborted (repeat the parameter or separate with ',')");
                    }
                    selected.add(state);
                }
            }
            builder.states(selected.toArray(new TaskQuery.State[0]));
            canonical.put("state", selected.toString());
        }
        params.nonEmpty("type").ifPresent(v -> canonical.put("type", set(builder::type, v)));
        params.get("kind").ifPresent(v -> {
            TaskKind kind;
            switch (v) {
                case "node":
                    kind = TaskKind.NODE;
                    break;
                case "cluster":
                    kind = TaskKind.CLUSTER;
                    break;
                default:
                    throw Params.invalid("kind", v, "expected node or cluster");
            }
            builder.kind(kind);
            canonical.put("kind", v);
        });
        params.nonEmpty("scope").ifPresent(v -> canonical.put("scope", set(builder::scope, v)));
        params.nonEmpty("keyspace").ifPresent(v -> canonical.put("keyspace", set(builder::keyspace, v)));
        params.nonEmpty("table").ifPresent(v -> canonical.put("table", set(builder::table, v)));
        params.get("entity_prefix").ifPresent(v -> canonical.put("entity_prefix", set(builder::entityPrefix, v)));
        Optional<UUID> parent = params.uuid("parent");
        parent.ifPresent(id -> {
            builder.parent(id);
            canonical.put("parent", id.toString());
        });
        List<String> labels = params.all("label");
        if (!labels.isEmpty()) {
            Map<String, String> byKey = new TreeMap<>();
            for (String label : labels) {
                int colon = label.indexOf(':');
                if (colon <= 0) {
                    throw Params.invalid("label", label, "expected key:value, e.g. label=ticket:OPS-42");
                }
                String key = label.substring(0, colon);
                String value = label.substring(colon + 1);
                String previous = byKey.putIfAbsent(key, value);
                if (previous != null) {
                    if (previous.equals(value)) {
                        continue;
                    }
                    throw Params.invalid("label", label, "label '" + key + "' is already asked to be '" + previous
                            + "'; a task carries one value per key");
                }
                try {
                    builder.label(key, value);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw Params.invalid("label", label, e.getMessage());
                }
            }
            canonical.put("label", byKey.toString());
        }
        Instant createdAfter = params.time("created_after").orElse(null);
        Instant createdBefore = params.time("created_before").orElse(null);
        if (createdAfter != null || createdBefore != null) {
            range("created", createdAfter, createdBefore);
            builder.created(createdAfter == null ? null : createdAfter.plusNanos(1), createdBefore);
            canonical.put("created", createdAfter + ".." + createdBefore);
        }
        Instant finishedAfter = params.time("finished_after").orElse(null);
        Instant finishedBefore = params.time("finished_before").orElse(null);
        if (finishedAfter != null || finishedBefore != null) {
            range("finished", finishedAfter, finishedBefore);
            builder.finished(finishedAfter == null ? null : finishedAfter.plusNanos(1), finishedBefore);
            canonical.put("finished", finishedAfter + ".." + finishedBefore);
        }
        params.bool("user_task").ifPresent(v -> {
            builder.userTask(v);
            canonical.put("user_task", v.toString());
        });
        boolean internal = params.bool("internal").orElse(parent.isPresent());
        builder.includeInternal(internal);
        canonical.put("internal", Boolean.toString(internal));
        return canonical;
    }

    /** An "after" must come before a "before": otherwise the range holds nothing, which is a mistake. */
    private static void range(String what, Instant after, Instant before) {
        if (after != null && before != null && !after.isBefore(before)) {
            throw Params.invalid(what + "_after", TaskJson.time(after), what + "_after must be before "
                    + what + "_before (" + TaskJson.time(before) + ")");
        }
    }

    private interface Setter {
        void set(String value);
    }

    private static String set(Setter setter, String value) {
        setter.set(value);
        return value;
    }

    /** Length-prefixed, so that no value can pose as another parameter. */
    private static String encode(Map<String, String> canonical) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : canonical.entrySet()) {
            out.append(entry.getKey().length()).append(':').append(entry.getKey())
                    .append(entry.getValue().length()).append(':').append(entry.getValue());
        }
        return out.toString();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
