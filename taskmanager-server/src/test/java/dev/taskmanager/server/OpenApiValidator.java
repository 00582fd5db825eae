package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks real answers against the OpenAPI 3.1 document a server serves, with a JSON Schema 2020-12
 * validator (networknt, OpenAPI 3.1 dialect, formats asserted): the status must be documented for
 * the operation (or fall under {@code default}), the media type must be one the response declares,
 * and the body must validate against that media type's schema; a response without content must have
 * an empty body. Records what it checked, so a test can assert that every operation was exercised.
 */
final class OpenApiValidator {
    private static final String BASE = "https://taskmanager.invalid/openapi.json";

    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final Set<String> checked = new TreeSet<>();

    OpenApiValidator(ApiClient client) {
        ApiClient.Answer answer = client.get("/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        this.doc = answer.json();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                b -> b.schemas(Map.of(BASE, answer.body())).schemaRegistryConfig(config));
    }

    JsonNode document() {
        return doc;
    }

    /**
     * Asserts that {@code answer} to {@code method template} is what the document says it may be.
     *
     * @return the answer, for further assertions
     */
    ApiClient.Answer check(String method, String template, ApiClient.Answer answer) {
        String where = method + " " + template + " -> " + answer.status() + " " + answer.body();
        String documented = method.toLowerCase();
        if (answer.status() == 405 && doc.path("paths").path(template).path(documented).isMissingNode()) {
            // a method the path does not have: its 405 is described on the methods it has
            documented = doc.path("paths").path(template).fieldNames().next();
        }
        JsonNode operation = doc.path("paths").path(template).path(documented);
        assertThat(operation.isMissingNode()).as("documented: " + where).isFalse();
        String status = String.valueOf(answer.status());
        String pointer = "/paths/" + escape(template) + "/" + documented + "/responses/";
        JsonNode response = operation.path("responses").path(status);
        if (response.isMissingNode()) {
            assertThat(answer.status()).as("a documented status or an error under default: " + where)
                    .isGreaterThanOrEqualTo(400);
            response = operation.path("responses").path("default");
            assertThat(response.isMissingNode()).as("status documented: " + where).isFalse();
            pointer += "default";
            status = "default";
        } else {
            pointer += status;
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = resolve(pointer);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertThat(answer.body()).as("no content documented: " + where).isEmpty();
        } else {
            String mediaType = answer.raw().headers().firstValue("content-type").orElse("").split(";")[0].trim();
            assertThat(content.has(mediaType)).as("media type " + mediaType + " documented: " + where).isTrue();
            Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer + "/content/"
                    + escape(mediaType) + "/schema"));
            List<Error> errors = schema.validate(answer.body(), InputFormat.JSON);
            assertThat(errors).as("schema of " + where).isEmpty();
        }
        checked.add(method + " " + template + " " + (answer.status() < 400 ? "success" : "error"));
        return answer;
    }

    /** The errors of validating {@code json} against a component schema; for the validator's own test. */
    List<Error> validateAgainst(String schemaName, String json) {
        return registry.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + schemaName))
                .validate(json, InputFormat.JSON);
    }

    /** What was checked: {@code "GET /v2/tasks success"}, {@code "GET /v2/tasks error"}, ... */
    Set<String> checked() {
        return checked;
    }

    private JsonNode resolve(String pointer) {
        return doc.at(pointer);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
