package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files over HTTP ({@link Dashboard}): what every {@code /ui/} answer carries, how
 * assets are versioned and cached, the redirects, and which access rules apply. What the page does
 * in a browser is tested in {@code taskmanager-app} ({@code DashboardBrowserTest}).
 */
class DashboardTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ASSET = Pattern.compile("/ui/static/([0-9a-f]{16})/app\\.js");

    private TaskManager tm;
    private TaskManagerServer server;

    @BeforeEach
    void start() throws IOException {
        tm = TaskManager.builder().build();
        server = TaskManagerServer.builder(tm).port(0).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        tm.close();
    }

    @Test
    void everyPathUnderUiServesThePageWithAStrictPolicyAndRevalidation() throws Exception {
        String first = null;
        for (String path : List.of("/ui/", "/ui/tasks/5b0c0a4e-2f7e-4f7e-9a57-8d8b1f0c9c1e", "/ui/no/such/page")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(Dashboard.CONTENT_SECURITY_POLICY);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("ETag")).isPresent();
            assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/static/").doesNotContain("{{");
            first = first == null ? page.body() : first;
            assertThat(page.body()).isEqualTo(first);
        }
        assertThat(Dashboard.CONTENT_SECURITY_POLICY).contains("default-src 'none'", "script-src 'self'",
                "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                "form-action 'self'").doesNotContain("unsafe");
    }

    @Test
    void thePageIsAnswered304WhileUnchangedSoAnUpgradeShowsOnTheNextLoad() throws Exception {
        HttpResponse<String> page = get("/ui/");
        String etag = page.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = HTTP.send(request("/ui/").header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<String> stale = HTTP.send(request("/ui/").header("If-None-Match", "\"older\"").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stale.statusCode()).isEqualTo(200);
    }

    @Test
    void assetsAreNamedByTheirDigestCachedForAYearAndGzippedForClientsThatAcceptIt() throws Exception {
        Matcher asset = ASSET.matcher(get("/ui/").body());
        assertThat(asset.find()).isTrue();
        String path = asset.group();

        HttpResponse<String> plain = get(path);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(plain.body()).contains("import ");

        HttpResponse<byte[]> zipped = HTTP.send(request(path).header("Accept-Encoding", "gzip, deflate").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.body().length).isLessThan(plain.body().getBytes(StandardCharsets.UTF_8).length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain.body());
        }
        HttpResponse<byte[]> refused = HTTP.send(request(path).header("Accept-Encoding", "gzip;q=0").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void anotherVersionsAssetOrAnUnknownFileIs404NotStaleCode() throws Exception {
        String version = versionOf(get("/ui/").body());
        String other = version.equals("0000000000000000") ? "1111111111111111" : "0000000000000000";

        HttpResponse<String> old = get("/ui/static/" + other + "/app.js");
        assertThat(old.statusCode()).isEqualTo(404);
        assertThat(old.body()).contains("no dashboard file at /ui/static/" + other + "/app.js",
                "this server's files are under /ui/static/" + version + "/");
        assertThat(get("/ui/static/" + version + "/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/ui/static/" + version + "/assets.txt").statusCode()).isEqualTo(404);
        assertThat(get("/ui/static/").statusCode()).isEqualTo(404);
    }

    @Test
    void slashRedirectsToTheDashboardAndUiToUiSlash() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
        HttpResponse<String> ui = get("/ui?module=files");
        assertThat(ui.statusCode()).isEqualTo(301);
        assertThat(ui.headers().firstValue("Location")).hasValue("/ui/?module=files");
        assertThat(server.dashboardUri()).hasValue(URI.create(server.uri() + "/ui/"));
    }

    @Test
    void onlyGetAndHeadAreAnsweredAndHeadSendsNoBody() throws Exception {
        HttpResponse<String> post = HTTP.send(request("/ui/").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(post.body()).contains("method POST is not allowed on /ui/");

        RawHttp.Raw head = RawHttp.request(server.port(), "HEAD", "/ui/");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.head()).containsIgnoringCase("Content-Length: ").containsIgnoringCase("Content-Security-Policy");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theFilesNeedNoTokenButTheApiDoesAndTheHostRuleStillHolds() throws Exception {
        server.close();
        server = TaskManagerServer.builder(tm).port(0).authToken("s3cret").build().start();

        assertThat(get("/ui/").statusCode()).isEqualTo(200);
        assertThat(get("/ui/static/" + versionOf(get("/ui/").body()) + "/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/v2/tasks").statusCode()).isEqualTo(401);
        RawHttp.Raw rebound = RawHttp.exchange(server.port(), ("GET /ui/ HTTP/1.1\r\nHost: evil.example\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rebound.status()).isEqualTo(421);
    }

    @Test
    void theDashboardCanBeTurnedOff() throws Exception {
        server.close();
        server = TaskManagerServer.builder(tm).port(0).dashboard(false).build().start();

        assertThat(get("/ui/").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(server.dashboardUri()).isEmpty();
    }

    @Test
    void anEmbeddedHandlerServesThePageUnderItsContextPathAndLeavesSlashToTheService() throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new ContextHandler(TaskManagerApi.handler(tm, ApiOptions.builder().build()), "/ops"));
        jetty.start();
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ops/ui/tasks/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher asset = Pattern.compile("/ops/ui/static/[0-9a-f]{16}/app\\.js").matcher(page.body());
            assertThat(asset.find()).as(page.body()).isTrue();
            assertThat(page.body()).contains("href=\"/ops/ui/\"");
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + asset.group())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ops/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        } finally {
            jetty.stop();
        }
    }

    @Test
    void everyFileBesideTheListIsListedAndServed() throws Exception {
        Path directory = Path.of("src/main/resources/dev/taskmanager/server/ui");
        Set<String> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.map(p -> p.getFileName().toString()).filter(name -> !name.equals("assets.txt"))
                    .collect(Collectors.toSet());
        }
        Set<String> listed = Arrays.stream(Files.readString(directory.resolve("assets.txt")).split("\n"))
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toSet());
        assertThat(listed).isEqualTo(files);
        String version = versionOf(get("/ui/").body());
        for (String name : files) {
            if (!name.equals(Dashboard.SHELL)) {
                assertThat(get("/ui/static/" + version + "/" + name).statusCode()).as(name).isEqualTo(200);
            }
        }
    }

    private static String versionOf(String html) {
        Matcher asset = ASSET.matcher(html);
        assertThat(asset.find()).as("the page names app.js").isTrue();
        return asset.group(1);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.uri() + path));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }
}
