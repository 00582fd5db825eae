package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static dev.taskmanager.server.Problem.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /v2/tasks:abort}: the list's filters, the counts, the reason and requester, and its refusals. */
class V2BulkAbortTest extends ApiTestBase {

    @Test
    void everyMatchingAbortableRunningTaskIsAbortedAndCounted() {
        client.post("/task_manager/ttl?ttl=60");
        TaskModule module = f.tm.module("bulk");
        List<TrackedTask> abortable = new ArrayList<>();
        for (int i = 0; i < 2500; i++) { // more than one page of the core's cursor
            TrackedTask task = module.task("copy").abortable().track();
            task.start();
            abortable.add(task);
        }
        TrackedTask stubborn = module.task("copy").track();
        stubborn.start();
        TrackedTask finished = module.task("copy").abortable().track();
        finished.start();
        finished.complete();
        TrackedTask otherType = module.task("move").abortable().track();
        otherType.start();
        TrackedTask child = module.task("copy").abortable().parent(abortable.get(0).id()).track();
        child.start();

        ApiClient.Answer answer = client.send("POST", "/v2/tasks:abort?module=bulk&type=copy",
                "{\"reason\": \"maintenance\"}", "X-Request-Id", "ops-7");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode counts = answer.json();
        assertThat(counts.get("aborted").asLong()).isEqualTo(2500);
        assertThat(counts.get("not_abortable").asLong()).isEqualTo(1);
        assertThat(counts.get("already_finished").asLong()).isEqualTo(1);
        assertThat(counts.get("matched").asLong()).isEqualTo(2502);

        for (TrackedTask task : abortable) {
            assertThat(task.isAbortRequested()).isTrue();
            assertThat(task.status().abortRequest().reason()).isEqualTo("maintenance");
            assertThat(task.status().abortRequest().requestedBy()).isEqualTo("ops-7");
        }
        assertThat(child.isAbortRequested()).as("the abort cascades").isTrue();
        assertThat(stubborn.isAbortRequested()).isFalse();
        assertThat(otherType.isAbortRequested()).isFalse();
        JsonNode again = client.post("/v2/tasks:abort?module=bulk&type=copy").json();
        assertThat(again.get("aborted").asLong()).as("still running, asked again: idempotent").isEqualTo(2500);
    }

    @Test
    void theFiltersAreTheListsAndAtLeastOneIsRequired() {
        TrackedTask a = f.tm.module("m").task("t").abortable().label("team", "red").track();
        a.start();
        TrackedTask b = f.tm.module("m").task("t").abortable().label("team", "blue").track();
        b.start();
        JsonNode counts = client.post("/v2/tasks:abort?label=team:red&state=running").json();
        assertThat(counts.get("aborted").asLong()).isEqualTo(1);
        assertThat(a.isAbortRequested()).isTrue();
        assertThat(b.isAbortRequested()).isFalse();

        assertProblem(client.post("/v2/tasks:abort"), 400, "invalid-parameter", "refusing to abort every task");
        assertInvalid(client.post("/v2/tasks:abort?state=asleep"), "state", "asleep");
        assertProblem(client.post("/v2/tasks:abort?module=m&page_size=5"), 400, "invalid-parameter",
                "unknown parameter 'page_size'");
        assertInvalid(client.send("POST", "/v2/tasks:abort?module=m", "{\"reason\": false}"), "reason", "false");
        assertThat(b.isAbortRequested()).isFalse();
    }
}
