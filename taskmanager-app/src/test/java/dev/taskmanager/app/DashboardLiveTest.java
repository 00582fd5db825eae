package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in headless Chromium against a real server running real files operations: progress
 * that moves on the page without a reload, an abort with a reason from the page, and the tree of a
 * verification that found a modified file. Manifests are read at {@value #MANIFEST_BYTES_PER_SECOND}
 * bytes a second, 64 KiB at a time, so their progress can be watched; nothing sleeps: every wait is
 * for a condition on the page.
 */
class DashboardLiveTest {
    static final long MANIFEST_BYTES_PER_SECOND = 2L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    static Path data;
    static AppServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createDirectories(temp.resolve("data"));
        server = AppServer.startThrottled(List.of(data), MANIFEST_BYTES_PER_SECOND);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @AfterEach
    void theConsoleStayedClean() {
        assertThat(DashboardBrowserTest.unexpected(browser.consoleErrors())).isEmpty();
    }

    @Test
    void theProgressShownChangesWithoutAReloadOnTheTaskPageAndInTheList() throws Exception {
        // Live updates come from GET /v2/events (branch events); until it is merged this server has none.
        assumeTrue(servesEvents(), "needs the event stream, GET /v2/events, which this build does not serve yet");
        String id = startManifest("slow", 24 << 20);
        try {
            browser.open(url("/ui/tasks/" + id));
            browser.js("window.sameDocument = true;");
            By bar = By.cssSelector(".task-progress .progress");
            long first = completed(bar);
            long second = moreThan(bar, first);
            moreThan(bar, second);
            assertThat(browser.driver.findElement(By.cssSelector(".task-progress .progress-text")).getText())
                    .matches("[0-9.]+ (KiB|MiB) of 24\\.0 MiB \\([0-9]+%\\)");
            assertThat(browser.driver.findElement(By.cssSelector(".task-progress .rate")).getText()).contains("/s");
            browser.screenshot("progress-on-the-task-page");

            browser.driver.findElement(By.cssSelector(".crumbs a")).click();
            By row = By.cssSelector("tr[data-task-id='" + id + "'] .progress");
            moreThan(row, completed(row));
            assertThat(browser.js("return window.sameDocument === true"
                    + " && performance.getEntriesByType('navigation').length === 1")).isEqualTo(true);
            assertThat(browser.driver.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("live");
            browser.screenshot("progress-in-the-list");
        } finally {
            server.post("/v2/tasks/" + id + ":abort"); // ends the operation; a 409 if it ended already
        }
    }

    @Test
    void abortWithAReasonTurnsTheTaskAbortedInThePageAndThroughTheApi() throws Exception {
        String id = startManifest("to-abort", 24 << 20);
        browser.open(url("/ui/tasks/" + id));
        WebElement abort = browser.awaitVisible(By.id("abort-button"));

        abort.click();
        WebElement dialog = browser.awaitVisible(By.id("abort-dialog"));
        assertThat(activeId()).isEqualTo("abort-reason");
        Actions keys = new Actions(browser.driver);
        for (int i = 0; i < 5; i++) {
            keys.sendKeys(Keys.TAB).perform();
            assertThat(browser.js("return document.activeElement.closest('dialog') !== null")).as("Tab %d", i)
                    .isEqualTo(true);
        }
        keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(browser.js("return document.activeElement.closest('dialog') !== null")).isEqualTo(true);
        assertThat(browser.js("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        keys.sendKeys(Keys.ESCAPE).perform();
        browser.await("the dialog closes on Escape", d -> d.findElements(By.id("abort-dialog")).isEmpty());
        assertThat(activeId()).isEqualTo("abort-button");
        assertThat(state(id)).isEqualTo("running");

        abort.click();
        dialog = browser.awaitVisible(By.id("abort-dialog"));
        dialog.findElement(By.id("abort-reason")).sendKeys("wrong directory, said the browser test");
        browser.screenshot("abort-dialog");
        dialog.findElement(By.id("abort-confirm")).click();

        browser.awaitVisible(By.cssSelector(".task-badges .state-aborted"));
        assertThat(browser.driver.findElement(By.id("abort-button")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.cssSelector(".details")).getText())
                .contains("“wrong directory, said the browser test” by dashboard");
        browser.screenshot("aborted");
        JsonNode task = JSON.readTree(server.get("/v2/tasks/" + id).body());
        assertThat(task.get("state").asText()).isEqualTo("aborted");
        assertThat(task.get("abort").get("reason").asText()).isEqualTo("wrong directory, said the browser test");
        assertThat(task.get("abort").get("requested_by").asText()).isEqualTo("dashboard");
    }

    @Test
    void theTreeOfAVerifyThatFoundAModifiedFileShowsThePathToItUnfoldedAndHighlighted() throws Exception {
        Path tree = Files.createDirectories(data.resolve("tree"));
        FilesEndToEndTest.write(Files.createDirectories(tree.resolve("a/b")).resolve("big.bin"), 2 << 20, 3);
        FilesEndToEndTest.write(tree.resolve("a/small.txt"), 100, 4);
        FilesEndToEndTest.write(Files.createDirectories(tree.resolve("c")).resolve("other.bin"), 2 << 20, 5);
        Path manifest = data.resolve("tree.sha256");
        writeManifest(tree, manifest);
        byte[] changed = Files.readAllBytes(tree.resolve("a/b/big.bin"));
        changed[12345] ^= 1;
        Files.write(tree.resolve("a/b/big.bin"), changed);

        String id = server.postOk("/files/verify?path=" + tree + "&manifest=" + manifest).replace("\"", "");
        JsonNode ended = JSON.readTree(server.get("/v2/tasks/" + id + ":wait?timeout=30s").body());
        assertThat(ended.get("state").asText()).isEqualTo("failed");

        browser.open(url("/ui/tasks/" + id));
        WebElement leaf = browser.awaitVisible(By.xpath("//li[contains(@class,'on-failure-path')][@data-state='failed']"
                + "[./div/a[contains(., 'big.bin')]]"));
        assertThat(leaf.findElement(By.cssSelector(".node-error")).getText()).contains("sha256 mismatch");
        List<String> path = new ArrayList<>();
        for (WebElement node : browser.driver.findElements(By.cssSelector("li.on-failure-path > .node .node-name"))) {
            path.add(node.getText());
        }
        assertThat(path).hasSize(4);
        assertThat(path.get(0)).contains(tree.toString());
        assertThat(path.get(3)).contains("big.bin");
        WebElement sibling = browser.driver.findElement(By.xpath("//li[@data-state='done']"
                + "[not(contains(@class, 'on-failure-path'))]/div/a[substring(., string-length(.) - 1) = ' c']"));
        assertThat(sibling.isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("tree-summary")).getText()).containsPattern("[0-9]+ failed");
        browser.js("document.getElementById('tree-heading').scrollIntoView()");
        browser.screenshot("failure-path");
    }

    /** Starts a throttled manifest of a new directory holding one file of {@code bytes}; its task id. */
    private static String startManifest(String name, int bytes) throws IOException {
        Path directory = Files.createDirectories(data.resolve(name));
        FilesEndToEndTest.write(directory.resolve("big.bin"), bytes, name.hashCode());
        return server.postOk("/files/manifest?path=" + directory + "&output=" + data.resolve(name + ".sha256"))
                .replace("\"", "");
    }

    /** Whether the server has the event stream: the answer's head is enough (its body never ends). */
    private static boolean servesEvents() throws Exception {
        HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/v2/events"))).build(), HttpResponse.BodyHandlers.ofInputStream());
        answer.body().close();
        return answer.statusCode() != 404;
    }

    private static void writeManifest(Path tree, Path manifest) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                lines.add(FilesEndToEndTest.sha256(file) + "  " + tree.relativize(file));
            }
        }
        Files.write(manifest, lines);
    }

    private static String url(String path) {
        return server.server.uri() + path;
    }

    private static String activeId() {
        return (String) browser.js("return document.activeElement.id");
    }

    private static String state(String id) throws IOException {
        HttpResponse<String> answer = server.get("/v2/tasks/" + id);
        return JSON.readTree(answer.body()).get("state").asText();
    }

    /** The completed amount a progress bar shows (its data-completed), once it shows one. */
    private static long completed(By bar) {
        return browser.await("a progress bar at " + bar, d -> {
            List<WebElement> found = d.findElements(bar);
            return found.isEmpty() ? null : Long.parseLong(found.get(0).getAttribute("data-completed"));
        });
    }

    /** Waits for the bar to show more than {@code than}, and returns what it shows then. */
    private static long moreThan(By bar, long than) {
        return browser.await("progress past " + than + " at " + bar, d -> {
            List<WebElement> found = d.findElements(bar);
            if (found.isEmpty()) {
                return null;
            }
            long now = Long.parseLong(found.get(0).getAttribute("data-completed"));
            return now > than ? now : null;
        });
    }
}
