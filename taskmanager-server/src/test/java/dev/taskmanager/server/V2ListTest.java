package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static dev.taskmanager.server.Problem.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/tasks}: every filter, the orders, paging and its tokens, and every refusal. */
class V2ListTest extends ApiTestBase {

    private TrackedTask task(String module, String type, String entity, boolean userTask) {
        TrackedTask task = f.tm.module(module).task(type).scope("s-" + type).entity(entity).userTask(userTask).track();
        task.start();
        f.time.advance(Duration.ofMillis(1));
        return task;
    }

    private JsonNode list(String query) {
        ApiClient.Answer answer = client.get("/v2/tasks" + (query.isEmpty() ? "" : "?" + query));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        list(query).get("tasks").forEach(t -> ids.add(t.get("id").asText()));
        return ids;
    }

    /** Every page of a listing, following next_page_token. */
    private List<String> all(String query) {
        List<String> ids = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = list(query + (token.isEmpty() ? "" : "&page_token=" + token));
            page.get("tasks").forEach(t -> ids.add(t.get("id").asText()));
            token = page.get("next_page_token").asText();
        } while (!token.isEmpty());
        return ids;
    }

    @Test
    void aListingIsOrderedByCreationAndPagedWithATokenCarryingTheTotal() {
        client.post("/task_manager/ttl?ttl=60");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(task("m", "t", "e" + i, false).id().toString());
        }
        JsonNode first = list("module=m&page_size=10");
        assertThat(first.get("total_size").asLong()).isEqualTo(25);
        assertThat(first.get("tasks").size()).isEqualTo(10);
        String token = first.get("next_page_token").asText();
        assertThat(token).isNotEmpty();
        // the total is the first page's, whatever happened since
        created.add(task("m", "t", "late", false).id().toString());
        JsonNode second = list("module=m&page_size=10&page_token=" + token);
        assertThat(second.get("total_size").asLong()).isEqualTo(25);
        assertThat(all("module=m&page_size=10")).containsExactlyElementsOf(created);
        assertThat(all("module=m&page_size=7&order_by=created_time%20desc")).containsExactlyElementsOf(reversed(created));
        JsonNode last = list("module=m&page_size=100");
        assertThat(last.get("next_page_token").asText()).isEmpty();
    }

    @Test
    void theDefaultPageIs100AndTheLargest1000() {
        TaskModule module = f.tm.module("big");
        for (int i = 0; i < 1100; i++) {
            module.task("t").track().start();
        }
        assertThat(list("module=big").get("tasks").size()).isEqualTo(100);
        assertThat(list("module=big&page_size=1000").get("tasks").size()).isEqualTo(1000);
        assertInvalid(client.get("/v2/tasks?page_size=1001"), "page_size", "1001");
        assertInvalid(client.get("/v2/tasks?page_size=0"), "page_size", "0");
        assertInvalid(client.get("/v2/tasks?page_size=ten"), "page_size", "ten");
    }

    @Test
    void everyFilterSelectsWhatItSays() {
        client.post("/task_manager/ttl?ttl=60");
        TrackedTask a = task("alpha", "copy", "/srv/a/1", true);
        TrackedTask b = task("alpha", "move", "/srv/b/1", false);
        TrackedTask c = task("beta", "copy", "/srv/a/2", false);
        TrackedTask child = f.tm.module("alpha").task("copy").parent(a.id()).entity("/srv/a/1/x").track();
        child.start();
        TrackedTask labelled = f.tm.module("beta").task("copy").label("ticket", "OPS-1").label("env", "prod").track();
        labelled.start();
        b.complete();
        c.fail("bad");
        String id = a.id().toString();
        assertThat(ids("module=alpha")).containsExactly(id, b.id().toString());
        assertThat(ids("type=move")).containsExactly(b.id().toString());
        assertThat(ids("scope=s-move")).containsExactly(b.id().toString());
        assertThat(ids("entity_prefix=/srv/a/")).containsExactly(id, c.id().toString());
        assertThat(ids("entity_prefix=/srv/a/&internal=true")).containsExactly(id, c.id().toString(),
                child.id().toString());
        assertThat(ids("parent=" + id)).containsExactly(child.id().toString());
        assertThat(ids("parent=" + id + "&internal=false")).isEmpty();
        assertThat(ids("user_task=true")).containsExactly(id);
        assertThat(ids("state=done")).containsExactly(b.id().toString());
        assertThat(ids("state=failed")).containsExactly(c.id().toString());
        assertThat(ids("state=done,failed")).containsExactly(b.id().toString(), c.id().toString());
        assertThat(ids("state=done&state=failed")).containsExactly(b.id().toString(), c.id().toString());
        assertThat(ids("state=running&module=beta")).containsExactly(labelled.id().toString());
        assertThat(ids("label=ticket:OPS-1")).containsExactly(labelled.id().toString());
        assertThat(ids("label=ticket:OPS-1&label=env:prod")).containsExactly(labelled.id().toString());
        assertThat(ids("label=ticket:OPS-1&label=env:dev")).isEmpty();
        assertThat(ids("kind=node&module=beta")).hasSize(2);
        assertThat(ids("kind=cluster")).isEmpty();

        JsonNode bJson = client.get("/v2/tasks/" + b.id()).json();
        String bCreated = bJson.get("created_time").asText();
        String bEnded = bJson.get("end_time").asText();
        assertThat(ids("created_after=" + bCreated + "&module=alpha")).isEmpty();
        assertThat(ids("created_before=" + bCreated + "&module=alpha")).containsExactly(id);
        assertThat(ids("finished_after=" + client.get("/v2/tasks/" + a.id()).json().get("created_time").asText()))
                .containsExactly(b.id().toString(), c.id().toString());
        assertThat(ids("finished_before=" + bEnded)).isEmpty();
        String offset = java.time.OffsetDateTime.parse(bCreated)
                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
        assertThat(ids("created_before=" + offset + "&module=alpha")).as(offset).containsExactly(id);
    }

    @Test
    void theAbortedAndAbortRequestedStatesAreToldApart() {
        client.post("/task_manager/ttl?ttl=60");
        TrackedTask aborted = task("m", "t", "", false);
        aborted.abort("enough", "tester");
        aborted.complete();
        TrackedTask requested = task("m", "t", "", false);
        requested.abort("soon", "tester");
        TrackedTask failed = task("m", "t", "", false);
        failed.fail("broken");
        assertThat(ids("state=aborted")).containsExactly(aborted.id().toString());
        assertThat(ids("state=failed")).containsExactly(failed.id().toString());
        assertThat(ids("state=abort_requested")).containsExactly(requested.id().toString());
        JsonNode json = client.get("/v2/tasks/" + aborted.id()).json();
        assertThat(json.get("state").asText()).isEqualTo("aborted");
        assertThat(json.get("abort").get("reason").asText()).isEqualTo("enough");
        assertThat(json.get("abort").get("requested_by").asText()).isEqualTo("tester");
        assertThat(client.get("/v2/tasks/" + requested.id()).json().get("abort_requested").asBoolean()).isTrue();
    }

    @Test
    void orderBySequenceNumber() {
        TaskModule module = f.tm.module("seq");
        List<String> ids = new ArrayList<>();
        for (long n : new long[]{5, 2, 9, 1}) {
            TrackedTask task = module.task("t").sequenceNumber(n).track();
            task.start();
            ids.add(task.id().toString());
        }
        assertThat(all("module=seq&order_by=sequence_number&page_size=3"))
                .containsExactly(ids.get(3), ids.get(1), ids.get(0), ids.get(2));
        assertThat(all("module=seq&order_by=sequence_number%20desc&page_size=3"))
                .containsExactly(ids.get(2), ids.get(0), ids.get(1), ids.get(3));
    }

    @Test
    void everyBadParameterIsA400NamingItAndItsValue() {
        assertInvalid(client.get("/v2/tasks?state=sleeping"), "state", "sleeping");
        assertInvalid(client.get("/v2/tasks?state=running,"), "state", "running,");
        assertInvalid(client.get("/v2/tasks?kind=galaxy"), "kind", "galaxy");
        assertInvalid(client.get("/v2/tasks?label=nocolon"), "label", "nocolon");
        assertInvalid(client.get("/v2/tasks?label=:v"), "label", ":v");
        assertInvalid(client.get("/v2/tasks?label=a:1&label=a:2"), "label", "a:2");
        assertInvalid(client.get("/v2/tasks?parent=xyz"), "parent", "xyz");
        assertInvalid(client.get("/v2/tasks?created_after=yesterday"), "created_after", "yesterday");
        assertInvalid(client.get("/v2/tasks?finished_before=2026-01-01"), "finished_before", "2026-01-01");
        assertInvalid(client.get("/v2/tasks?created_after=2026-01-02T00:00:00Z&created_before=2026-01-01T00:00:00Z"),
                "created_after", "2026-01-02T00:00:00.000000000Z");
        assertInvalid(client.get("/v2/tasks?user_task=maybe"), "user_task", "maybe");
        assertInvalid(client.get("/v2/tasks?internal=2"), "internal", "2");
        assertInvalid(client.get("/v2/tasks?order_by=name"), "order_by", "name");
        assertInvalid(client.get("/v2/tasks?module="), "module", "");
        assertInvalid(client.get("/v2/tasks?module=a&module=b"), "module", "b");
        assertProblem(client.get("/v2/tasks?status=running"), 400, "invalid-parameter", "unknown parameter 'status'");
    }

    @Test
    void aTokenThatWasModifiedComesFromElsewhereOrHasOtherFiltersIsRefused() {
        TaskModule module = f.tm.module("m");
        for (int i = 0; i < 5; i++) {
            module.task("t").track().start();
        }
        String token = list("module=m&page_size=2").get("next_page_token").asText();
        assertThat(list("module=m&page_size=3&page_token=" + token).get("tasks").size())
                .as("the page size may change").isEqualTo(3);
        char flipped = token.charAt(10) == 'A' ? 'B' : 'A';
        String modified = token.substring(0, 10) + flipped + token.substring(11);
        JsonNode refused = assertProblem(client.get("/v2/tasks?module=m&page_size=2&page_token=" + modified), 400,
                "invalid-parameter", "it was modified");
        assertThat(refused.get("parameter").asText()).isEqualTo("page_token");
        assertProblem(client.get("/v2/tasks?module=m&state=running&page_size=2&page_token=" + token), 400,
                "invalid-parameter", "other filters");
        assertProblem(client.get("/v2/tasks?module=m&page_size=2&order_by=created_time%20desc&page_token=" + token),
                400, "invalid-parameter", "other filters");
        assertInvalid(client.get("/v2/tasks?page_token=garbage!"), "page_token", "garbage!");
        try (ServerFixture other = new ServerFixture()) {
            other.tm.module("m");
            assertProblem(other.client.get("/v2/tasks?module=m&page_size=2&page_token=" + token), 400,
                    "invalid-parameter", "another server");
        }
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
