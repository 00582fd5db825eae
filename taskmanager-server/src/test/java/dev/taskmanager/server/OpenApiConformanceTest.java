package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route's answers, success and error, validated against the OpenAPI 3.1 document the server
 * serves ({@link OpenApiValidator}): the document describes what the server really answers.
 */
class OpenApiConformanceTest {
    private static final String UNKNOWN = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    /** An extension route, described by the fragment it brings. */
    private static final String EXTENSION_FRAGMENT = "{\"paths\": {\"/ext/echo/{word}\": {\"get\": {"
            + "\"operationId\": \"echo\", \"parameters\": [{\"name\": \"word\", \"in\": \"path\", \"required\": true,"
            + " \"schema\": {\"type\": \"string\"}}], \"responses\": {"
            + "\"200\": {\"description\": \"The word.\", \"content\": {\"application/json\": {\"schema\": "
            + "{\"$ref\": \"#/components/schemas/EchoWord\"}}}},"
            + "\"400\": {\"$ref\": \"#/components/responses/BadRequest\"},"
            + "\"default\": {\"$ref\": \"#/components/responses/CompatDefault\"}}}}},"
            + "\"components\": {\"schemas\": {\"EchoWord\": {\"type\": \"string\", \"minLength\": 1}}}}";

    private ServerFixture f;
    private ApiClient client;
    private OpenApiValidator openApi;

    @BeforeEach
    void start() {
        f = new ServerFixture(b -> b, s -> s.route("GET", "/ext/echo/{word}", request -> {
            String word = request.pathParam("word");
            if (word.equals("bad")) {
                throw new IllegalArgumentException("invalid value 'bad' for parameter 'word'");
            }
            return word;
        }).openApi(EXTENSION_FRAGMENT)).withTestModule();
        client = f.client;
        openApi = new OpenApiValidator(client);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private ApiClient.Answer check(String method, String template, String target) {
        return openApi.check(method, template, client.send(method, target, null));
    }

    private ApiClient.Answer check(String method, String template, String target, String body, String... headers) {
        return openApi.check(method, template, client.send(method, target, body, headers));
    }

    @Test
    void theValidatorRejectsAnAnswerThatBreaksTheSchema() {
        assertThat(openApi.validateAgainst("Task", "{\"id\": \"x\"}")).isNotEmpty();
        assertThat(openApi.validateAgainst("Problem", "{\"type\": \"about:blank\", \"title\": \"t\", \"status\": 200,"
                + " \"detail\": \"d\"}")).as("status below 400").isNotEmpty();
        assertThat(openApi.validateAgainst("Time3339", "\"2026-01-01T00:00:00Z\"")).as("nine digits").isNotEmpty();
        assertThatThrownBy(() -> openApi.check("GET", "/v2/modules", client.get("/task_manager/list_modules")))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void everyRouteAnswersWhatTheDocumentSays() throws Exception {
        check("POST", "/task_manager/ttl", "/task_manager/ttl?ttl=60");
        check("POST", "/task_manager/ttl", "/task_manager/ttl?ttl=-1");
        check("GET", "/task_manager/ttl", "/task_manager/ttl");
        check("POST", "/task_manager/user_ttl", "/task_manager/user_ttl?user_ttl=60");
        check("POST", "/task_manager/user_ttl", "/task_manager/user_ttl");
        check("GET", "/task_manager/user_ttl", "/task_manager/user_ttl");

        // the test API
        String root = check("POST", "/task_manager_test/test_task", "/task_manager_test/test_task?abortable=true")
                .json().asText();
        check("POST", "/task_manager_test/test_task", "/task_manager_test/test_task?shard=99");
        String child = check("POST", "/task_manager_test/test_task",
                "/task_manager_test/test_task?parent_id=" + root + "&entity=dir/a").json().asText();
        String other = client.createTestTask("user_task=true");
        check("POST", "/task_manager_test/test_task_progress/{task_id}",
                "/task_manager_test/test_task_progress/" + child + "?completed=1&total=2");
        check("POST", "/task_manager_test/test_task_progress/{task_id}",
                "/task_manager_test/test_task_progress/" + child + "?completed=x");

        // compat reads
        check("GET", "/task_manager/list_modules", "/task_manager/list_modules");
        check("GET", "/task_manager/list_module_tasks/{module}", "/task_manager/list_module_tasks/test?internal=true");
        check("GET", "/task_manager/list_module_tasks/{module}", "/task_manager/list_module_tasks/nope");
        check("GET", "/task_manager/task_status/{task_id}", "/task_manager/task_status/" + root);
        check("GET", "/task_manager/task_status/{task_id}", "/task_manager/task_status/" + UNKNOWN);
        check("GET", "/task_manager/task_status_recursive/{task_id}", "/task_manager/task_status_recursive/" + root);
        check("GET", "/task_manager/task_status_recursive/{task_id}", "/task_manager/task_status_recursive/x");
        check("GET", "/task_manager/wait_task/{task_id}", "/task_manager/wait_task/" + root + "?timeout=0");
        check("GET", "/task_manager/wait_task/{task_id}", "/task_manager/wait_task/" + root + "?timeout=x");

        // v2 reads
        String token = check("GET", "/v2/tasks", "/v2/tasks?internal=true&page_size=2").json()
                .get("next_page_token").asText();
        check("GET", "/v2/tasks", "/v2/tasks?internal=true&page_size=2&page_token=" + token);
        check("GET", "/v2/tasks", "/v2/tasks?state=running,done&label=a:b&order_by=sequence_number%20desc");
        check("GET", "/v2/tasks", "/v2/tasks?state=nope");
        check("GET", "/v2/tasks", "/v2/tasks?page_token=" + token);
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + root);
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + root + "?view=tree");
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + UNKNOWN);
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + root + "?view=x");
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + root + "?x=1");
        check("DELETE", "/v2/tasks/{task_id}", "/v2/tasks/" + root);
        check("GET", "/v2/modules", "/v2/modules?internal=true");
        check("GET", "/v2/modules", "/v2/modules?internal=maybe");
        check("GET", "/v2/tasks/{task_id}:wait", "/v2/tasks/" + root + ":wait?timeout=1ms");
        check("GET", "/v2/tasks/{task_id}:wait", "/v2/tasks/" + root + ":wait?timeout=x");
        check("GET", "/v2/tasks/{task_id}:wait", "/v2/tasks/" + UNKNOWN + ":wait");
        check("POST", "/v2/tasks:wait", "/v2/tasks:wait", "{\"ids\": [\"" + root + "\"], \"timeout\": \"1ms\"}");
        check("POST", "/v2/tasks:wait", "/v2/tasks:wait", "{\"ids\": [\"" + UNKNOWN + "\"]}");
        check("POST", "/v2/tasks:wait", "/v2/tasks:wait", "{\"ids\": 1}");
        check("POST", "/v2/tasks:wait", "/v2/tasks:wait", "{\"ids\": [");

        // waits that are answered on completion
        CompletableFuture<ApiClient.Answer> compatWait = client.sendAsync("GET", "/task_manager/wait_task/" + other);
        CompletableFuture<ApiClient.Answer> v2Wait = client.sendAsync("GET", "/v2/tasks/" + other + ":wait");
        CompletableFuture<ApiClient.Answer> v2Waits = client.sendAsync("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + other + "\", \"" + root + "\"], \"mode\": \"any\"}");
        Await.until("the waits are held", () -> f.server.pendingWaits() == 3);
        check("POST", "/task_manager_test/finish_test_task/{task_id}", "/task_manager_test/finish_test_task/" + other);
        check("POST", "/task_manager_test/finish_test_task/{task_id}", "/task_manager_test/finish_test_task/" + UNKNOWN);
        openApi.check("GET", "/task_manager/wait_task/{task_id}", compatWait.get());
        openApi.check("GET", "/v2/tasks/{task_id}:wait", v2Wait.get());
        openApi.check("POST", "/v2/tasks:wait", v2Waits.get());

        // aborts
        check("POST", "/v2/tasks/{task_id}:abort", "/v2/tasks/" + child + ":abort");
        check("POST", "/v2/tasks/{task_id}:abort", "/v2/tasks/" + UNKNOWN + ":abort");
        check("POST", "/v2/tasks/{task_id}:abort", "/v2/tasks/" + other + ":abort", "{\"reason\": 1}");
        check("POST", "/v2/tasks/{task_id}:abort", "/v2/tasks/" + other + ":abort", "{}", "X-Request-Id", "me");
        check("POST", "/v2/tasks:abort", "/v2/tasks:abort?module=test&type=nothing", "{\"reason\": \"x\"}");
        check("POST", "/v2/tasks:abort", "/v2/tasks:abort");
        check("POST", "/task_manager/abort_task/{task_id}", "/task_manager/abort_task/" + child);
        check("POST", "/task_manager/abort_task/{task_id}", "/task_manager/abort_task/"
                + client.createTestTask("abortable=true"));
        check("POST", "/task_manager/abort_task/{task_id}", "/task_manager/abort_task/" + UNKNOWN);
        JsonNode aborted = check("POST", "/v2/tasks/{task_id}:abort", "/v2/tasks/" + root + ":abort",
                "{\"reason\": \"operator\"}", "X-Request-Id", "req-1").json();
        assertThat(aborted.get("id").asText()).isEqualTo(root);
        check("GET", "/v2/tasks/{task_id}", "/v2/tasks/" + root);

        // drain, the test API's removals
        check("POST", "/task_manager/drain/{module}", "/task_manager/drain/test");
        check("POST", "/task_manager/drain/{module}", "/task_manager/drain/nope");
        String last = client.createTestTask("");
        check("DELETE", "/task_manager_test/test_task", "/task_manager_test/test_task?task_id=" + last);
        check("DELETE", "/task_manager_test/test_task", "/task_manager_test/test_task");
        check("DELETE", "/task_manager_test/test_module", "/task_manager_test/test_module");
        check("DELETE", "/task_manager_test/test_module", "/task_manager_test/test_module");
        check("POST", "/task_manager_test/test_module", "/task_manager_test/test_module");
        check("POST", "/task_manager_test/test_task", "/task_manager_test/test_task?task_id=" + root + "x");

        // the document itself and the extension
        check("GET", "/openapi.json", "/openapi.json");
        check("GET", "/ext/echo/{word}", "/ext/echo/hello");
        check("GET", "/ext/echo/{word}", "/ext/echo/bad");

        // every route's errors under default: the access refusals every route may answer
        try (ServerFixture locked = new ServerFixture(b -> b, s -> s.authToken("s3cret")
                .route("GET", "/ext/echo/{word}", request -> "x").openApi(EXTENSION_FRAGMENT))) {
            for (Router.Route route : locked.server.api().router().routes()) {
                String target = route.template().replace("{task_id}", UNKNOWN).replace("{module}", "test")
                        .replace("{word}", "w");
                openApi.check(route.method(), route.template(), locked.client.send(route.method(), target, null));
            }
        }

        Set<String> missing = new TreeSet<>();
        for (Router.Route route : f.server.api().router().routes()) {
            for (String outcome : new String[]{"success", "error"}) {
                String key = route.method() + " " + route.template() + " " + outcome;
                if (!openApi.checked().contains(key)) {
                    missing.add(key);
                }
            }
        }
        assertThat(missing).as("routes not exercised").isEmpty();
    }

    @Test
    void theTestApiIsDescribedOnlyWhenItIsServed() {
        assertThat(openApi.document().get("paths").has("/task_manager_test/test_task")).isTrue();
        try (ServerFixture plain = new ServerFixture(b -> b, s -> s.enableTestApi(false))) {
            JsonNode doc = plain.client.get("/openapi.json").json();
            assertThat(doc.get("paths").has("/task_manager_test/test_task")).isFalse();
            assertThat(doc.get("paths").has("/v2/tasks/{task_id}")).isTrue();
            assertThat(doc.get("paths").has("/ext/echo/{word}")).isFalse();
        }
    }

    @Test
    void aFragmentThatClashesWithTheDocumentOrIsNotAFragmentIsRefused() {
        assertThatThrownBy(() -> ApiOptions.builder().openApi("[]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ApiOptions.builder().openApi("{\"info\": {}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 'info'");
        assertThatThrownBy(() -> ApiOptions.builder().openApi("{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be JSON");
        ApiOptions clash = ApiOptions.builder().openApi("{\"paths\": {\"/v2/modules\": {\"get\": {}}}}").build();
        assertThatThrownBy(() -> TaskManagerApi.handler(f.tm, clash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("get /v2/modules");
    }
}
