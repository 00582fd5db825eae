package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files routes are described in the app's {@code /openapi.json} (the fragment
 * {@code files-openapi.json}), and their real answers, success and error, validate against it.
 */
class FilesOpenApiTest {
    private static final String BASE = "https://taskmanager.invalid/openapi.json";

    @TempDir
    Path temp;

    @Test
    void theFilesRoutesAnswerWhatTheServedDocumentSays() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "hello");
        try (AppServer server = AppServer.start(List.of(data))) {
            HttpResponse<String> doc = server.get("/openapi.json");
            assertThat(doc.statusCode()).isEqualTo(200);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b
                    .schemas(Map.of(BASE, doc.body()))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

            HttpResponse<String> started = server.post("/files/manifest?path=" + data);
            assertValid(registry, "/files/manifest", started, 200);
            HttpResponse<String> refused = server.post("/files/verify?path=" + data);
            assertValid(registry, "/files/verify", refused, 400);
            assertValid(registry, "/files/manifest", server.post("/files/manifest"), 400);
            HttpResponse<String> verify = server.post("/files/verify?path=" + data + "&manifest=" + data.resolve("a.txt"));
            assertValid(registry, "/files/verify", verify, 200);
        }
    }

    private static void assertValid(SchemaRegistry registry, String path, HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        String pointer = "#/paths/" + path.replace("/", "~1") + "/post/responses/" + status
                + "/content/application~1json/schema";
        assertThat(registry.getSchema(SchemaLocation.of(BASE + pointer)).validate(answer.body(), InputFormat.JSON))
                .as(path + " " + answer.body()).isEmpty();
    }
}
