package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TrackedTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random valid combinations of the list's filters, orders and page sizes return, over HTTP and page
 * by page, exactly the tasks a brute-force filter over the full listing returns, in exactly the
 * order it sorts them. The brute force reads only the v2 JSON of each task, so it checks the
 * filters against the documented meaning of the fields, independently of the core's query code.
 */
class V2ListPropertyTest {
    private static final String[] MODULES = {"alpha", "beta", "gamma"};
    private static final String[] TYPES = {"copy", "move", "scan"};
    private static final String[] SCOPES = {"node", "dir", "file"};
    private static final String[] KEYSPACES = {"", "ks1", "ks2"};
    private static final String[] ENTITIES = {"/a/x", "/a/y/1", "/b/x", "/b", ""};
    private static final String[] LABEL_KEYS = {"team", "env"};
    private static final String[] LABEL_VALUES = {"red", "blue"};
    private static final String[] STATES = {"created", "running", "stalled", "abort_requested", "done", "failed",
            "aborted"};

    private static ServerFixture f;
    /** Every task, as the full listing shows it. */
    private static List<JsonNode> everything;
    private static List<String> createdTimes;
    private static List<String> endTimes;
    private static List<String> ids;

    @BeforeContainer
    static void populate() {
        f = new ServerFixture();
        Random random = new Random(20261130);
        List<TrackedTask> roots = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String module = MODULES[random.nextInt(MODULES.length)];
            TaskBuilder builder = f.tm.module(module).task(TYPES[random.nextInt(TYPES.length)])
                    .scope(SCOPES[random.nextInt(SCOPES.length)])
                    .keyspace(KEYSPACES[random.nextInt(KEYSPACES.length)])
                    .entity(ENTITIES[random.nextInt(ENTITIES.length)])
                    .userTask(random.nextBoolean())
                    .sequenceNumber(random.nextInt(20));
            if (!roots.isEmpty() && random.nextInt(4) == 0) {
                builder.parent(roots.get(random.nextInt(roots.size())).id());
            }
            for (String key : LABEL_KEYS) {
                if (random.nextBoolean()) {
                    builder.label(key, LABEL_VALUES[random.nextInt(LABEL_VALUES.length)]);
                }
            }
            if (random.nextInt(5) == 0) {
                builder.stallThreshold(Duration.ofSeconds(1));
            }
            TrackedTask task = builder.track();
            if (random.nextInt(8) != 0) {
                task.start();
            }
            roots.add(task);
            f.time.advance(Duration.ofMillis(1 + random.nextInt(3)));
        }
        f.time.advance(Duration.ofSeconds(2));
        f.tm.cleanUp(); // marks the quiet running tasks with a stall threshold stalled
        for (TrackedTask task : roots) {
            switch (random.nextInt(6)) {
                case 0:
                    task.complete();
                    break;
                case 1:
                    task.fail("broken");
                    break;
                case 2:
                    task.abort("enough", "property");
                    if (random.nextBoolean()) {
                        task.complete(); // aborted; otherwise abort_requested
                    }
                    break;
                default:
                    break;
            }
            f.time.advance(Duration.ofMillis(1));
        }
        everything = fullListing();
        createdTimes = everything.stream().map(t -> t.get("created_time").asText()).collect(Collectors.toList());
        endTimes = everything.stream().filter(t -> !t.get("end_time").isNull()).map(t -> t.get("end_time").asText())
                .collect(Collectors.toList());
        ids = everything.stream().map(t -> t.get("id").asText()).collect(Collectors.toList());
        assertThat(everything.size()).as("tasks listed").isGreaterThan(150);
        for (String state : STATES) {
            assertThat(everything.stream().filter(t -> inState(t, state))).as("population has %s tasks", state)
                    .isNotEmpty();
        }
    }

    @AfterContainer
    static void stop() {
        f.close();
    }

    /** Every task, internal ones included, by walking the unfiltered listing with the largest pages. */
    private static List<JsonNode> fullListing() {
        return walk("internal=true&page_size=1000");
    }

    private static List<JsonNode> walk(String query) {
        List<JsonNode> tasks = new ArrayList<>();
        String token = "";
        do {
            ApiClient.Answer answer = f.client.get("/v2/tasks?" + query + (token.isEmpty() ? "" : "&page_token=" + token));
            assertThat(answer.status()).as(query + " -> " + answer.body()).isEqualTo(200);
            answer.json().get("tasks").forEach(tasks::add);
            token = answer.json().get("next_page_token").asText();
        } while (!token.isEmpty());
        return tasks;
    }

    /** A filter: its query string and the predicate that means the same on a task's v2 JSON. */
    record Filter(String query, Predicate<JsonNode> matches, String bound) {
        Filter(String query, Predicate<JsonNode> matches) {
            this(query, matches, null);
        }

        /** The parameter, and the label's key for a label. */
        String name() {
            return query.startsWith("label=") ? query.substring(0, query.indexOf(':')) : query.split("=")[0];
        }
    }

    /** A listing: filters, order and page size. */
    record Listing(List<Filter> filters, String orderBy, int pageSize) {
        String query() {
            StringBuilder q = new StringBuilder("page_size=" + pageSize + "&order_by=" + orderBy.replace(" ", "%20"));
            filters.forEach(filter -> q.append('&').append(filter.query()));
            return q.toString();
        }

        boolean internalGiven() {
            return filters.stream().anyMatch(filter -> filter.query().startsWith("internal=")
                    || filter.query().startsWith("parent="));
        }

        @Override
        public String toString() {
            return query();
        }
    }

    @Property(tries = 300, seed = "42")
    void aFilteredListingIsExactlyTheBruteForceFilterOfTheFullListing(@ForAll("listings") Listing listing) {
        List<String> actual = walk(listing.query()).stream().map(t -> t.get("id").asText()).collect(Collectors.toList());

        Predicate<JsonNode> expected = t -> listing.internalGiven() || !t.get("internal").asBoolean();
        for (Filter filter : listing.filters()) {
            expected = expected.and(filter.matches());
        }
        Comparator<JsonNode> order = order(listing.orderBy());
        List<String> bruteForce = everything.stream().filter(expected).sorted(order).map(t -> t.get("id").asText())
                .collect(Collectors.toList());
        assertThat(actual).as(listing.query()).containsExactlyElementsOf(bruteForce);
    }

    private static Comparator<JsonNode> order(String orderBy) {
        Comparator<JsonNode> byCreated = Comparator.comparing((JsonNode t) -> t.get("created_time").asText())
                .thenComparing(t -> t.get("id").asText());
        Comparator<JsonNode> order = orderBy.startsWith("sequence_number")
                ? Comparator.comparingLong((JsonNode t) -> t.get("sequence_number").asLong()).thenComparing(byCreated)
                : byCreated;
        return orderBy.endsWith("desc") ? order.reversed() : order;
    }

    @Provide
    Arbitrary<Listing> listings() {
        // each parameter once, except label (once per key): what a repeated filter means is tested elsewhere
        Arbitrary<List<Filter>> filters = Arbitraries.oneOf(filterArbitraries()).list().ofMaxSize(4)
                .uniqueElements(filter -> filter.name())
                .filter(list -> validRange(list, "created") && validRange(list, "finished"));
        Arbitrary<String> orders = Arbitraries.of("created_time", "created_time desc", "sequence_number",
                "sequence_number desc");
        Arbitrary<Integer> pageSizes = Arbitraries.oneOf(Arbitraries.integers().between(1, 12),
                Arbitraries.of(50, 100, 1000));
        return Combinators.combine(filters, orders, pageSizes).as(Listing::new);
    }

    private List<Arbitrary<Filter>> filterArbitraries() {
        List<Arbitrary<Filter>> all = new ArrayList<>();
        all.add(Arbitraries.of(MODULES).map(m -> exact("module", m, "module")));
        all.add(Arbitraries.of(TYPES).map(v -> exact("type", v, "type")));
        all.add(Arbitraries.of(SCOPES).map(v -> exact("scope", v, "scope")));
        all.add(Arbitraries.of("ks1", "ks2").map(v -> exact("keyspace", v, "keyspace")));
        all.add(Arbitraries.of("node", "cluster").map(v -> exact("kind", v, "kind")));
        all.add(Arbitraries.of("/", "/a", "/a/", "/a/y", "/b", "/c", "").map(prefix -> new Filter(
                "entity_prefix=" + encode(prefix), t -> t.get("entity").asText().startsWith(prefix))));
        all.add(Arbitraries.of(STATES).list().ofMinSize(1).ofMaxSize(3).uniqueElements().map(states -> new Filter(
                "state=" + String.join(",", states), t -> states.stream().anyMatch(s -> inState(t, s)))));
        all.add(Combinators.combine(Arbitraries.of(LABEL_KEYS), Arbitraries.of(LABEL_VALUES)).as((k, v) -> new Filter(
                "label=" + k + ":" + v, t -> v.equals(t.get("labels").path(k).asText(null)))));
        all.add(Arbitraries.of(true, false).map(v -> new Filter("user_task=" + v,
                t -> t.get("user_task").asBoolean() == v)));
        all.add(Arbitraries.of(true, false).map(v -> new Filter("internal=" + v,
                t -> v || !t.get("internal").asBoolean())));
        all.add(Arbitraries.integers().between(0, 1_000_000).map(i -> {
            String parent = ids.get(i % ids.size());
            return new Filter("parent=" + parent, t -> parent.equals(t.get("parent_id").asText(null)));
        }));
        all.add(time(createdTimes, "created_after", "created_time", true));
        all.add(time(createdTimes, "created_before", "created_time", false));
        all.add(time(endTimes, "finished_after", "end_time", true));
        all.add(time(endTimes, "finished_before", "end_time", false));
        return all;
    }

    /** A bound from the population's own times (so that boundaries are hit), in a random offset. */
    private static Arbitrary<Filter> time(List<String> times, String parameter, String field, boolean after) {
        return Combinators.combine(Arbitraries.integers().between(0, 1_000_000), Arbitraries.of(0, 2, -5))
                .as((i, hours) -> {
                    String bound = times.get(i % times.size());
                    String given = OffsetDateTime.parse(bound).withOffsetSameInstant(ZoneOffset.ofHours(hours)).toString();
                    return new Filter(parameter + "=" + encode(given), t -> {
                        JsonNode value = t.get(field);
                        if (value.isNull()) {
                            return false;
                        }
                        int cmp = value.asText().compareTo(bound);
                        return after ? cmp > 0 : cmp < 0;
                    }, bound);
                });
    }

    /** An "after" bound must come before the "before" one: an empty range is a 400, tested elsewhere. */
    private static boolean validRange(List<Filter> filters, String what) {
        String after = null;
        String before = null;
        for (Filter filter : filters) {
            if (filter.name().equals(what + "_after")) {
                after = filter.bound();
            } else if (filter.name().equals(what + "_before")) {
                before = filter.bound();
            }
        }
        return after == null || before == null || after.compareTo(before) < 0;
    }

    private static Filter exact(String parameter, String value, String field) {
        return new Filter(parameter + "=" + encode(value), t -> value.equals(t.get(field).asText()));
    }

    /** The v2 list's state filter, in terms of the v2 JSON fields. */
    static boolean inState(JsonNode t, String state) {
        String s = t.get("state").asText();
        switch (state) {
            case "stalled":
                return s.equals("running") && t.get("stalled").asBoolean();
            case "abort_requested":
                return t.get("abort_requested").asBoolean();
            default:
                return s.equals(state);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
