package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks find --cluster} against three fleet nodes ({@code serve}'s wiring, one real PostgreSQL):
 * one node lists every node's tasks with their nodes, as a table and as JSON, and a listing paged
 * through the nodes in turn (the fleet's shared page token key) lists every task once.
 */
class FleetFindTest {
    private static final Pattern NEXT_TOKEN = Pattern.compile("add --page-token (\\S+) ");

    private final List<AppServer> nodes = new ArrayList<>();
    private AppServer a;
    private AppServer b;
    private AppServer c;
    /** Every task of module "work", by id: the address of its node. */
    private final Map<String, String> expected = new HashMap<>();

    @BeforeEach
    void startThreeNodesWithTwoTasksEach() throws Exception {
        String url = SharedPostgres.newDatabase();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            AppServer node = FleetNodes.start(url, name);
            nodes.add(node);
            for (int i = 0; i < 2; i++) {
                TrackedTask task = node.taskManager().module("work").task("copy").entity("/" + name + "/" + i)
                        .userTask().track();
                task.start();
                if (i == 0) {
                    task.complete(); // finished ones too
                }
                expected.put(task.id().toString(), FleetNodes.address(name));
            }
        }
        a = nodes.get(0);
        b = nodes.get(1);
        c = nodes.get(2);
        FleetNodes.flush(a, b, c);
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(AppServer::close);
    }

    @Test
    void findClusterOnOneNodeListsEveryNodesTasksEachWithItsNode() {
        Run json = a.run("tasks", "find", "--cluster", "--module", "work", "--output", "json");
        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(nodesById(json.out())).isEqualTo(expected);

        Run text = a.run("tasks", "find", "--cluster", "--module", "work");
        assertThat(text.code()).as(text.toString()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).matches("id +node +module +type +state +progress +entity +created +error");
        assertThat(lines).hasSize(7);
        expected.forEach((id, node) -> assertThat(lines).as("%s of %s", id, node)
                .anyMatch(line -> line.startsWith(id + " " + node + " ")));

        Run own = a.run("tasks", "find", "--module", "work", "--output", "json");
        assertThat(nodesById(own.out())).as("without --cluster: this node's").hasSize(2)
                .containsOnlyKeys(expected.entrySet().stream().filter(e -> e.getValue().equals(
                        FleetNodes.address("node-a"))).map(Map.Entry::getKey).toList());
        assertThat(own.out()).doesNotContain("node-b");
    }

    @Test
    void aClusterListingPagedOnEachNodeInTurnListsEveryTaskOnce() {
        Map<String, String> listed = new HashMap<>();
        String token = "";
        int pages = 0;
        do {
            AppServer node = nodes.get(pages % nodes.size()); // each page from the next node: no sticky session
            List<String> args = new ArrayList<>(List.of("tasks", "find", "--cluster", "--module", "work",
                    "--page-size", "2", "--output", "json"));
            if (!token.isEmpty()) {
                args.addAll(List.of("--page-token", token));
            }
            Run page = node.run(args.toArray(new String[0]));
            assertThat(page.code()).as(page.toString()).isZero();
            Map<String, String> found = nodesById(page.out());
            found.forEach((id, owner) -> assertThat(listed.put(id, owner)).as("listed once: " + id).isNull());
            token = (String) ((Map<?, ?>) ServerProcess.json(page.out())).get("next_page_token");
            pages++;
        } while (!token.isEmpty());
        assertThat(listed).isEqualTo(expected);
        assertThat(pages).isEqualTo(3);

        Run all = c.run("tasks", "find", "--cluster", "--module", "work", "--page-size", "2", "--all");
        assertThat(all.code()).as(all.toString()).isZero();
        assertThat(all.out().lines().skip(1).map(line -> line.substring(0, 36))).containsExactlyInAnyOrderElementsOf(
                expected.keySet());
    }

    @Test
    void aTokenOfOneNodesOwnListingIsRefusedByAnother() {
        Run first = a.run("tasks", "find", "--module", "work", "--page-size", "1");
        Matcher next = NEXT_TOKEN.matcher(first.err());
        assertThat(next.find()).as(first.toString()).isTrue();

        assertThat(a.run("tasks", "find", "--module", "work", "--page-size", "1", "--page-token", next.group(1))
                .code()).isZero();
        Run elsewhere = b.run("tasks", "find", "--module", "work", "--page-size", "1", "--page-token", next.group(1));
        assertThat(elsewhere.code()).as(elsewhere.toString()).isEqualTo(4);
        assertThat(elsewhere.err()).contains("page_token");
    }

    @Test
    void theModulesAnswerSaysTheServerIsAFleetNode() {
        Map<?, ?> modules = (Map<?, ?>) ServerProcess.json(a.get("/v2/modules").body());
        assertThat(modules.get("cluster")).isEqualTo(true);
    }

    /** The tasks of a {@code find --output json} document: id to node. */
    private static Map<String, String> nodesById(String document) {
        Map<String, String> nodes = new HashMap<>();
        for (Object task : (List<?>) ((Map<?, ?>) ServerProcess.json(document)).get("tasks")) {
            Map<?, ?> fields = (Map<?, ?>) task;
            nodes.put((String) fields.get("id"), (String) fields.get("node"));
        }
        return nodes;
    }
}
