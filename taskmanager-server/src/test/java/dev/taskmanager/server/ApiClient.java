package dev.taskmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small blocking/async client for the API under test, on the JDK's HttpClient. */
final class ApiClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;

    ApiClient(URI base) {
        this.base = base;
    }

    /** An answer: status and body text. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String message() {
            return json().get("message").asText();
        }
    }

    Answer get(String pathAndQuery) {
        return send("GET", pathAndQuery);
    }

    Answer post(String pathAndQuery) {
        return send("POST", pathAndQuery);
    }

    Answer delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery);
    }

    Answer send(String method, String pathAndQuery) {
        try {
            return sendAsync(method, pathAndQuery).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e.getCause());
        }
    }

    CompletableFuture<Answer> sendAsync(String method, String pathAndQuery) {
        return sendAsync(method, pathAndQuery, null);
    }

    /** A request with a JSON body ({@code null}: none) and extra headers as name, value pairs. */
    Answer send(String method, String pathAndQuery, String jsonBody, String... headers) {
        try {
            return sendAsync(method, pathAndQuery, jsonBody, headers).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e.getCause());
        }
    }

    CompletableFuture<Answer> sendAsync(String method, String pathAndQuery, String jsonBody, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .timeout(Duration.ofSeconds(30));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body(), r));
    }

    /** Creates a test task and returns its id (the JSON string's content). */
    String createTestTask(String query) {
        Answer answer = post("/task_manager_test/test_task" + (query.isEmpty() ? "" : "?" + query));
        if (answer.status() != 200) {
            throw new AssertionError("creating a test task failed: " + answer.status() + " " + answer.body());
        }
        return answer.json().asText();
    }

    void finish(String id) {
        expectEmpty(post("/task_manager_test/finish_test_task/" + id));
    }

    void fail(String id, String error) {
        expectEmpty(post("/task_manager_test/finish_test_task/" + id + "?error=" + error));
    }

    JsonNode status(String id) {
        Answer answer = get("/task_manager/task_status/" + id);
        if (answer.status() != 200) {
            throw new AssertionError("task_status failed: " + answer.status() + " " + answer.body());
        }
        return answer.json();
    }

    private static void expectEmpty(Answer answer) {
        if (answer.status() != 200 || !answer.body().isEmpty()) {
            throw new AssertionError("expected an empty 200, got " + answer.status() + " " + answer.body());
        }
    }
}
