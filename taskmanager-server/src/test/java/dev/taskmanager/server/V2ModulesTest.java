package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/modules}: every module with its tasks counted by state. */
class V2ModulesTest extends ApiTestBase {

    @Test
    void eachModuleCountsItsTasksByState() {
        client.post("/task_manager/ttl?ttl=60");
        String a = client.createTestTask("");
        client.createTestTask("");
        String c = client.createTestTask("");
        client.createTestTask("parent_id=" + a); // internal: counted only with internal=true
        client.finish(c);
        String d = client.createTestTask("");
        client.fail(d, "x");
        String e = client.createTestTask("abortable=true");
        client.post("/v2/tasks/" + e + ":abort");
        f.tm.module("other");

        JsonNode modules = client.get("/v2/modules").json().get("modules");
        assertThat(modules.size()).isEqualTo(2);
        JsonNode other = modules.get(0);
        assertThat(other.get("name").asText()).isEqualTo("other");
        assertThat(other.get("total").asLong()).isZero();
        JsonNode test = modules.get(1);
        assertThat(test.get("name").asText()).isEqualTo("test");
        assertThat(test.get("node").asText()).isEqualTo("127.0.0.1");
        assertThat(test.get("total").asLong()).isEqualTo(5);
        assertThat(test.get("states").get("running").asLong()).isEqualTo(2);
        assertThat(test.get("states").get("done").asLong()).isEqualTo(1);
        assertThat(test.get("states").get("failed").asLong()).isEqualTo(1);
        assertThat(test.get("states").get("aborted").asLong()).isEqualTo(1);
        assertThat(test.get("states").get("created").asLong()).isZero();

        JsonNode withInternal = client.get("/v2/modules?internal=true").json().get("modules").get(1);
        assertThat(withInternal.get("total").asLong()).isEqualTo(6);
        assertThat(withInternal.get("states").get("running").asLong()).isEqualTo(3);
    }

    @Test
    void aBadFlagIsRefused() {
        assertInvalid(client.get("/v2/modules?internal=perhaps"), "internal", "perhaps");
    }
}
