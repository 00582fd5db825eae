package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of SPEC §12.5's error table, with exact bodies pinned for a few. */
class ErrorTableTest extends ApiTestBase {
    static final String UNKNOWN = "0f0e0d0c-0b0a-4908-8706-050403020100";

    @Test
    void unknownModuleIs400ModuleNotFound() {
        assertThat(client.get("/task_manager/list_module_tasks/nope").body())
                .isEqualTo("{\"message\":\"module nope not found\",\"code\":400}");
        assertError(client.post("/task_manager/drain/nope"), 400, "module nope not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /task_manager/task_status/", "GET /task_manager/task_status_recursive/",
            "GET /task_manager/wait_task/", "POST /task_manager/abort_task/",
            "POST /task_manager_test/finish_test_task/", "POST /task_manager_test/test_task_progress/"})
    void unknownWellFormedTaskIdIs400NotFound(String route) {
        String[] parts = route.split(" ");
        ApiClient.Answer answer = client.send(parts[0], parts[1] + UNKNOWN + "?completed=1");
        assertThat(answer.body()).isEqualTo("{\"message\":\"task with id " + UNKNOWN + " not found\",\"code\":400}");
    }

    @Test
    void deleteOfAnUnknownTestTaskIs400NotFound() {
        assertError(client.delete("/task_manager_test/test_task?task_id=" + UNKNOWN), 400,
                "task with id " + UNKNOWN + " not found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /task_manager/task_status/xyz | 'xyz' | got 3 characters",
            "GET /task_manager/task_status_recursive/0f0e0d0c-0b0a-4908-8706-05040302010g | 05040302010g | 'g' at position 36 is not a hex digit",
            "GET /task_manager/wait_task/0f0e0d0c00b0a-4908-8706-050403020100 | 0f0e0d0c00b0a | expected '-' at position 9",
            "POST /task_manager/abort_task/1-1-1-1-1 | '1-1-1-1-1' | got 9 characters",
            "POST /task_manager_test/finish_test_task/nope | 'nope' | a task id is a UUID",
            "POST /task_manager_test/test_task?task_id=abc | 'abc' | parameter 'task_id'",
            "POST /task_manager_test/test_task?parent_id=abc | 'abc' | parameter 'parent_id'",
            "DELETE /task_manager_test/test_task?task_id=abc | 'abc' | parameter 'task_id'"})
    void malformedUuidIs400SayingWhatIsWrongAndEchoingTheInput(String route, String echoed, String why) {
        String[] parts = route.split(" ");
        ApiClient.Answer answer = client.send(parts[0], parts[1]);
        assertError(answer, 400, echoed);
        assertThat(answer.message()).contains(why);
    }

    @Test
    void abortOfANonAbortableTaskIs403() {
        String id = client.createTestTask("");
        assertThat(client.post("/task_manager/abort_task/" + id).body())
                .isEqualTo("{\"message\":\"task with id " + id + " cannot be aborted\",\"code\":403}");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void waitTimeoutIs408Timedout() {
        String id = client.createTestTask("");
        assertThat(client.get("/task_manager/wait_task/" + id + "?timeout=0").body())
                .isEqualTo("{\"message\":\"timedout\",\"code\":408}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /task_manager/list_module_tasks/test?internal=yes | internal | 'yes'",
            "GET /task_manager/list_module_tasks/test?internal= | internal | ''",
            "POST /task_manager_test/test_task?user_task=maybe | user_task | 'maybe'",
            "POST /task_manager_test/test_task?abortable=2 | abortable | '2'",
            "POST /task_manager/ttl?ttl=abc | ttl | 'abc'",
            "POST /task_manager/ttl?ttl=-1 | ttl | must not be negative",
            "POST /task_manager/ttl?ttl=1.5 | ttl | '1.5'",
            "POST /task_manager/ttl?ttl=0x10 | ttl | '0x10'",
            "POST /task_manager/ttl?ttl=99999999999999999999 | ttl | too large",
            "POST /task_manager/ttl?ttl=9223372037 | ttl | out of range",
            "POST /task_manager/user_ttl?user_ttl=-5 | user_ttl | '-5'",
            "POST /task_manager/user_ttl?user_ttl= | user_ttl | ''",
            "GET /task_manager/wait_task/0f0e0d0c-0b0a-4908-8706-050403020100?timeout=-1 | timeout | '-1'",
            "GET /task_manager/wait_task/0f0e0d0c-0b0a-4908-8706-050403020100?timeout=soon | timeout | 'soon'",
            "GET /task_manager/wait_task/0f0e0d0c-0b0a-4908-8706-050403020100?timeout=-99999999999999999999 | timeout | too small",
            "POST /task_manager_test/test_task?shard=x | shard | 'x'",
            "POST /task_manager_test/test_task?shard=-1 | shard | '-1'",
            "POST /task_manager_test/test_task?shard=99999999999 | shard | out of range",
            "POST /task_manager_test/test_task_progress/0f0e0d0c-0b0a-4908-8706-050403020100?completed=NaN | completed | 'NaN'",
            "POST /task_manager_test/test_task_progress/0f0e0d0c-0b0a-4908-8706-050403020100?completed=1&total=-2 | total | '-2'"})
    void badBooleansAndNumbersAre400NamingTheParameterAndValue(String route, String parameter, String value) {
        String[] parts = route.split(" ");
        ApiClient.Answer answer = client.send(parts[0], parts[1]);
        assertError(answer, 400, "parameter '" + parameter + "'");
        assertThat(answer.message()).contains(value);
    }

    @Test
    void shardOutOfRangeIs400() {
        assertError(client.post("/task_manager_test/test_task?shard=2"), 400, "shard 2 is out of range");
    }

    @ParameterizedTest
    @CsvSource({"POST,/task_manager/ttl,ttl", "POST,/task_manager/user_ttl,user_ttl",
            "DELETE,/task_manager_test/test_task,task_id",
            "POST,/task_manager_test/test_task_progress/0f0e0d0c-0b0a-4908-8706-050403020100,completed"})
    void missingRequiredParameterIs400MissingMandatoryParameter(String method, String path, String name) {
        assertThat(client.send(method, path).body())
                .isEqualTo("{\"message\":\"Missing mandatory parameter '" + name + "'\",\"code\":400}");
    }

    @ParameterizedTest
    @CsvSource({"GET,/nope", "POST,/", "GET,/task_manager", "GET,/task_manager/nope", "DELETE,/task_manager/ttl",
            "PUT,/task_manager/ttl", "GET,/task_manager/abort_task/0f0e0d0c-0b0a-4908-8706-050403020100",
            "POST,/task_manager/task_status/0f0e0d0c-0b0a-4908-8706-050403020100", "GET,/task_manager/task_status",
            "GET,/task_manager/task_status/a/b", "GET,/task_manager_test/nope", "PATCH,/openapi.json"})
    void unknownPathOrMethodIs404NotFound(String method, String path) {
        assertThat(client.send(method, path).body()).isEqualTo("{\"message\":\"Not found\",\"code\":404}");
    }

    @Test
    void unexpectedExceptionsAre500WithTypeAndMessage() throws Exception {
        try (ServerFixture custom = new ServerFixture(b -> b, s -> s.route("GET", "/boom/now", r -> {
            throw new IllegalStateException("kaboom");
        }))) {
            assertThat(custom.client.get("/boom/now").body())
                    .isEqualTo("{\"message\":\"java.lang.IllegalStateException: kaboom\",\"code\":500}");
        }
    }

    @Test
    void theTestApiIsNotFoundUnlessEnabled() {
        try (ServerFixture plain = new ServerFixture(b -> b, s -> s.enableTestApi(false))) {
            assertError(plain.client.post("/task_manager_test/test_module"), 404, "Not found");
            assertError(plain.client.post("/task_manager_test/test_task"), 404, "Not found");
            assertThat(plain.client.get("/task_manager/list_modules").status()).isEqualTo(200);
        }
    }

    @Test
    void aRepeatedParameterIs400() {
        assertError(client.post("/task_manager/ttl?ttl=1&ttl=2"), 400, "'ttl' is given more than once");
    }

    @Test
    void aMalformedPercentEncodingIs400() {
        RawHttp.Raw answer = RawHttp.request(f.server.port(), "POST", "/task_manager/ttl?ttl=%zz");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("malformed query string").contains("%zz");
    }
}
