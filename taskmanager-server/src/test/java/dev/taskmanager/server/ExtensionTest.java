package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** Extension routes and embedding the API in a service's own Jetty server. */
class ExtensionTest {

    @Test
    void extensionRoutesGetTypedParametersAndTheirResultRenderedAsJson() {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s
                .route("POST", "/files/manifest", r -> {
                    TrackedTask task = r.taskManager().module("files").task("manifest")
                            .entity(r.requiredQuery("path")).userTask().track();
                    task.start();
                    return task.id();
                })
                .route("GET", "/files/{name}/size", r -> Map.of("name", r.pathParam("name"),
                        "size", r.longQuery("min", 0, 10).orElse(3)))
                .route("GET", "/ext/bool", r -> r.booleanQuery("flag", false))
                .route("GET", "/ext/number", r -> 2.0)
                .route("GET", "/ext/list", r -> List.of(1, 2.5, "x"))
                .route("POST", "/ext/nothing", r -> null)
                .route("GET", "/ext/status/{id}", r -> r.taskManager()
                        .status(UUID.fromString(r.pathParam("id"))).orElseThrow())
                .route("GET", "/ext/bad", r -> {
                    throw new IllegalArgumentException("path /etc is outside the allowed roots");
                })
                .route("GET", "/ext/forbidden", r -> {
                    throw new ApiException(403, "not yours");
                })
                .route("GET", "/ext/odd", r -> new Object()))) {
            ApiClient c = f.client;
            ApiClient.Answer started = c.post("/files/manifest?path=/srv/data");
            assertThat(started.status()).isEqualTo(200);
            String id = started.json().asText();
            assertThat(c.status(id).get("entity").asText()).isEqualTo("/srv/data");
            assertThat(c.get("/files/report.txt/size/?min=7").json().get("size").asInt()).isEqualTo(7);
            assertThat(c.get("/ext/bool?flag=TRUE").body()).isEqualTo("true");
            assertThat(c.get("/ext/number").body()).isEqualTo("2");
            assertThat(c.get("/ext/list").body()).isEqualTo("[1,2.5,\"x\"]");
            ApiTestBase.assertEmpty(c.post("/ext/nothing"));
            assertThat(c.get("/ext/status/" + id).json().get("id").asText()).isEqualTo(id);

            ApiTestBase.assertError(c.post("/files/manifest"), 400, "Missing mandatory parameter 'path'");
            ApiTestBase.assertError(c.get("/files/a/size?min=11"), 400, "parameter 'min'");
            ApiTestBase.assertError(c.get("/ext/bool?flag=perhaps"), 400, "'perhaps'");
            ApiTestBase.assertError(c.get("/ext/bad"), 400, "path /etc is outside the allowed roots");
            ApiTestBase.assertError(c.get("/ext/forbidden"), 403, "not yours");
            ApiTestBase.assertError(c.get("/ext/odd"), 500, "no JSON rendering");
            ApiTestBase.assertError(c.get("/files/nope"), 404, "Not found");
            ApiTestBase.assertError(c.get("/files/manifest?path=x"), 404, "Not found");
        }
    }

    @Test
    void routesThatClashOrAreMalformedAreRefusedAtBuild() {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().build()) {
            assertThatThrownBy(() -> TaskManagerServer.builder(tm)
                    .route("GET", "/task_manager/ttl", r -> 1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clashes with GET /task_manager/ttl");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm)
                    .route("GET", "/task_manager/task_status/{other}", r -> 1).build())
                    .hasMessageContaining("clashes");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).route("GET", "files", r -> 1).build())
                    .hasMessageContaining("must start with '/'");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).route("GET", "/a/{b", r -> 1).build())
                    .hasMessageContaining("malformed parameter segment");
            assertThatThrownBy(() -> TaskManagerServer.builder(tm).route("GE T", "/a", r -> 1).build())
                    .hasMessageContaining("method");
        }
    }

    @Test
    void theHandlerMountsInAServicesOwnJettyAndDeclinesPathsOutsideItsNamespaces() throws Exception {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().build()) {
            tm.module("backup").task("backup").track().start();
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            Handler api = TaskManagerApi.handler(tm, ApiOptions.builder().nodeAddress("10.1.2.3").build());
            Handler service = new Handler.Abstract.NonBlocking() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    response.write(true, ByteBuffer.wrap("service".getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
            };
            jetty.setHandler(new Handler.Sequence(api, service));
            jetty.start();
            try {
                ApiClient c = new ApiClient(jetty.getURI());
                assertThat(c.get("/task_manager/list_modules").body()).isEqualTo("[\"backup\"]");
                assertThat(c.get("/task_manager/nope").body()).isEqualTo("{\"message\":\"Not found\",\"code\":404}");
                assertThat(c.get("/anything/else").body()).isEqualTo("service");
                assertThat(c.post("/task_manager_test/test_module").body()).isEqualTo("service");
            } finally {
                jetty.stop();
            }
            assertThat(tm.moduleNames()).containsExactly("backup"); // the handler never closes the manager
        }
    }

    @Test
    void theNodeAddressDefaultsToTheBindAddressAndCanBeSet() {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.nodeAddress("10.9.8.7")).withTestModule()) {
            String parent = f.client.createTestTask("");
            f.client.createTestTask("parent_id=" + parent);
            assertThat(f.client.status(parent).get("children_ids").get(0).get("node").asText()).isEqualTo("10.9.8.7");
        }
    }

    @Test
    void mapsKeepTheirOrder() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", true);
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.route("GET", "/ext/map", r -> ordered))) {
            assertThat(f.client.get("/ext/map").body()).isEqualTo("{\"z\":1,\"a\":true}");
        }
    }
}
