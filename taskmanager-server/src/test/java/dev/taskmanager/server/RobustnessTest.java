package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input of every kind: never a 5xx, and the server answers normally afterwards. Requests the
 * JDK client refuses to send go over raw sockets.
 */
class RobustnessTest extends ApiTestBase {
    private static final List<String> IDS = List.of("", "x", "-", "%00", "%20", "null", "1-1-1-1-1",
            "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000",
            "00000000_0000_0000_0000_000000000000", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
            "%EF%BC%90" + "0".repeat(35), "0".repeat(5000), "00000000-0000-0000-0000-000000000000",
            "%F0%9F%98%80", "..", "%2e%2e");
    private static final List<String> VALUES = List.of("", "-1", "-0", "1e99", "0x1", "NaN", "Infinity",
            "99999999999999999999999999", "-99999999999999999999999999", "9223372036854775807",
            "-9223372036854775808", "1.5", "%00", "tRuE", "yes", "%FF%FE", "a%20b", "%");
    private static final List<String> ENDPOINTS = List.of(
            "GET /task_manager/task_status/", "GET /task_manager/task_status_recursive/",
            "GET /task_manager/wait_task/", "POST /task_manager/abort_task/",
            "GET /task_manager/list_module_tasks/", "POST /task_manager/drain/",
            "POST /task_manager_test/finish_test_task/", "POST /task_manager_test/test_task_progress/");
    private static final List<String> QUERIES = List.of("ttl", "user_ttl", "timeout", "internal", "shard",
            "task_id", "parent_id", "user_task", "abortable", "completed", "total", "error", "keyspace");

    @Test
    void malformedIdsNumbersAndBooleansNeverCause5xx() {
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            String[] parts = endpoint.split(" ");
            String target = parts[1] + IDS.get(random.nextInt(IDS.size()));
            String query = QUERIES.get(random.nextInt(QUERIES.size())) + "=" + VALUES.get(random.nextInt(VALUES.size()));
            if (random.nextBoolean()) {
                query += "&timeout=0";
            }
            assertNo5xx(parts[0], target + "?" + query);
        }
        for (String path : List.of("/task_manager/ttl", "/task_manager/user_ttl", "/task_manager_test/test_task")) {
            for (String name : QUERIES) {
                for (String value : VALUES) {
                    assertNo5xx("POST", path + "?" + name + "=" + value + "&timeout=0");
                }
            }
            assertNo5xx("POST", path);
            assertNo5xx("DELETE", path);
        }
        assertStillServing();
    }

    @Test
    void unknownPathsAndMethodsAre404() {
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW")) {
            for (String path : List.of("/", "/task_manager", "/task_manager/", "/x/y/z", "/task_manager/ttl/extra",
                    "/openapi.json/x", "/%7e", "/task_manager_test", "/task_manager/list_modules/extra")) {
                RawHttp.Raw answer = RawHttp.request(f.server.port(), method, path);
                if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
                    assertThat(answer.status()).as("the dashboard's redirect").isEqualTo(302);
                    continue;
                }
                assertThat(answer.status()).as(method + " " + path).isBetween(400, 499);
            }
        }
        assertStillServing();
    }

    @Test
    void oversizedRequestsGet4xx() {
        int port = f.server.port();
        RawHttp.Raw longUri = RawHttp.request(port, "GET", "/task_manager/task_status/" + "a".repeat(20_000));
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.body()).contains("\"code\":414");

        RawHttp.Raw bigHeader = RawHttp.exchange(port, ("GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(bigHeader.status()).isEqualTo(431);

        RawHttp.Raw manyHeaders = RawHttp.exchange(port, ("GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n"
                + "X-A: 1\r\n".repeat(2000) + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(manyHeaders.status()).isEqualTo(431);

        RawHttp.Raw bigBody = RawHttp.exchange(port, ("POST /task_manager/ttl?ttl=1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 1000000\r\nConnection: close\r\n\r\n" + "z".repeat(1000))
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(bigBody.status()).isEqualTo(413);
        assertThat(bigBody.body()).contains("request body too large");
        assertThat(client.get("/task_manager/ttl").body()).isEqualTo("0"); // not applied

        RawHttp.Raw smallBody = RawHttp.exchange(port, ("POST /task_manager/ttl?ttl=2 HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(smallBody.status()).isEqualTo(200); // a small body is ignored
        assertStillServing();
    }

    @Test
    void garbageBytesAndTruncatedRequestsNeverCause5xx() {
        int port = f.server.port();
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) {
            byte[] garbage = new byte[1 + random.nextInt(3000)];
            random.nextBytes(garbage);
            assertNotServerError(RawHttp.exchange(port, garbage));
        }
        List<String> broken = List.of(
                "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n",
                "GET /task_manager/list_modules HTTP/1.1\r\n",
                "GET /task_manager/list_mod",
                "GET",
                "\r\n\r\n\r\n",
                "GET /task_manager/list_modules HTTP/9.9\r\nHost: localhost\r\n\r\n",
                "GET task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n",
                "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc",
                "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "GET /task_manager/%C3%28 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /task_manager/task_status/\u00e9\u00e9 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /task_manager/task_status//x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /task_manager/../task_manager/ttl HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /task_manager/task_status/a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /task_manager/ttl HTTP/1.0\r\n\r\n",
                "GET /task_manager/ttl?%%%=%%% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        for (String request : broken) {
            RawHttp.Raw answer = RawHttp.exchange(port, request.getBytes(StandardCharsets.UTF_8));
            assertNotServerError(answer);
        }
        assertStillServing();
    }

    private void assertNo5xx(String method, String target) {
        RawHttp.Raw answer = RawHttp.request(f.server.port(), method, target);
        assertThat(answer.status()).as(method + " " + target + " -> " + answer.body()).isBetween(200, 499);
        if (answer.status() >= 400) {
            assertThat(answer.body()).as(method + " " + target).startsWith("{\"message\":");
        }
    }

    private static void assertNotServerError(RawHttp.Raw answer) {
        assertThat(answer.status()).as(answer.head()).satisfiesAnyOf(
                s -> assertThat(s).isZero(), // closed without an answer
                s -> assertThat(s).isBetween(200, 499));
    }

    private void assertStillServing() {
        ApiClient.Answer answer = client.get("/task_manager/list_modules");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("[\"test\"]");
        assertThat(client.createTestTask("")).hasSize(36);
    }
}
