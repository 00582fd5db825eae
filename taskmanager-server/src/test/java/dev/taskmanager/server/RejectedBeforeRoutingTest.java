package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11: a request Jetty rejects before routing (e.g. {@code %00} in a path) was answered 400 and
 * the connection then closed without {@code Connection: close}, so a keep-alive client reusing it
 * failed on its next request; and the message did not name the parameter as every other 400 does.
 */
class RejectedBeforeRoutingTest extends ApiTestBase {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/task_manager/list_module_tasks/%2e%2e%2f | invalid value '%2e%2e%2f' for parameter 'module': ambiguous uri path separator",
            "/task_manager/task_status/%5C | invalid value '%5C' for parameter 'task_id': suspicious path character",
            "/task_manager/task_status_recursive/x%7F | invalid value 'x%7F' for parameter 'task_id'",
            "/task_manager/task_status/%C3%28 | invalid value '%C3%28' for parameter 'task_id': bad utf-8 encoding",
            "/task_manager/list_modules/%5C | invalid path segment '%5C'",
            "/task_manager/task_status/%00 | Bad Request: the request line could not be parsed; look for an encoded NUL (%00)",
            "/task_manager/wait_task/%zz?timeout=1 | Bad Request: the request line could not be parsed"})
    void aRequestJettyRefusesBeforeRoutingSaysConnectionCloseAndNamesTheParameter(String target, String message) {
        try (KeepAlive connection = new KeepAlive(f.server.port())) {
            KeepAlive.Answer answer = connection.get(target);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).startsWith("{\"message\":\"").contains(message).endsWith(",\"code\":400}");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void anUnknownPathOutsideTheApiKeepsTheConnectionOpen() {
        try (KeepAlive connection = new KeepAlive(f.server.port())) {
            KeepAlive.Answer answer = connection.get("/elsewhere");
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("Connection")).isNull();
            assertThat(connection.get("/task_manager/list_modules").body()).isEqualTo("[\"test\"]");
        }
    }
}
