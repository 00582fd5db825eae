package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem answers of the v2 API. */
final class Problem {
    private Problem() {
    }

    /**
     * Asserts an {@code application/problem+json} answer with this status and type suffix
     * ({@code invalid-parameter}; {@code null} for {@code about:blank}), whose detail contains
     * {@code detailPart}; returns the problem.
     */
    static JsonNode assertProblem(ApiClient.Answer answer, int status, String type, String detailPart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.raw().headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asText())
                .isEqualTo(type == null ? "about:blank" : "urn:taskmanager:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotEmpty();
        assertThat(problem.get("detail").asText()).contains(detailPart);
        return problem;
    }

    /** Asserts a 400 invalid-parameter problem naming {@code parameter} and, unless null, {@code value}. */
    static JsonNode assertInvalid(ApiClient.Answer answer, String parameter, String value) {
        JsonNode problem = assertProblem(answer, 400, "invalid-parameter", parameter);
        assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
        if (value == null) {
            assertThat(problem.has("value")).isFalse();
        } else {
            assertThat(problem.get("value").asText()).isEqualTo(value);
            assertThat(problem.get("detail").asText()).contains(value);
        }
        return problem;
    }
}
