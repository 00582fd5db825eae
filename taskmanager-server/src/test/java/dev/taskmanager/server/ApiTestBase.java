package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh server with the test module registered for every test. */
abstract class ApiTestBase {
    ServerFixture f;
    ApiClient client;

    @BeforeEach
    void startServer() {
        f = new ServerFixture().withTestModule();
        client = f.client;
    }

    @AfterEach
    void stopServer() {
        f.close();
    }

    static void assertError(ApiClient.Answer answer, int status, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.fieldNames()).toIterable().containsExactly("message", "code");
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("message").asText()).contains(messagePart);
    }

    static void assertEmpty(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.raw().headers().firstValueAsLong("content-length")).hasValue(0);
    }
}
