package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against a real server whose tasks the test creates through the
 * library: filters and paging, deep links, a phone-width layout, labelled controls and keyboard use,
 * the token sign-in, and the time the first page of 1,000 tasks takes to render (measured with the
 * Performance API and written to {@code target/ui-screenshots/first-render.txt}, not asserted).
 */
class DashboardBrowserTest {
    @TempDir
    static Path temp;
    static AppServer server;
    static Browser browser;
    /** Console errors a test expects (the 401s of a sign-in), as substrings; cleared after each test. */
    private final List<String> expectedConsoleErrors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // Tasks the test leaves running must not hold up the stop.
        server = AppServer.start(List.of(), "--shutdown-timeout", "0", "--store", "memory");
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
        browser.resize(Browser.DESKTOP);
        List<String> errors = unexpected(browser.consoleErrors());
        errors.removeIf(error -> expectedConsoleErrors.stream().anyMatch(error::contains));
        assertThat(errors).isEmpty();
    }

    /**
     * The console errors a test did not expect. Until the event stream is merged, the browser reports
     * each refused {@code GET /v2/events} (404) as a failed load; the page handles it ("No live updates").
     */
    static List<String> unexpected(List<String> errors) {
        return errors.stream().filter(error -> !(error.contains("/v2/events") && error.contains("404")))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    @Test
    void filtersNarrowTheTableAndPagingWalksEveryPageOnce() throws Exception {
        TaskModule alpha = server.taskManager().module("alpha");
        for (int i = 0; i < 25; i++) {
            TrackedTask backup = alpha.task("backup").entity("/srv/backup/" + i).userTask().track();
            backup.start();
            if (i % 10 == 3) {
                backup.fail("disk full");
            }
        }
        for (int i = 0; i < 5; i++) {
            alpha.task("restore").entity("/srv/restore/" + i).userTask().label("ticket", "OPS-7").track().start();
        }
        server.taskManager().module("beta").task("restore").userTask().track().start();

        browser.open(url("/ui/"));
        browser.await("the modules", d -> !d.findElements(By.cssSelector("#f-module option[value='alpha']")).isEmpty());
        assertThat(browser.driver.findElement(By.cssSelector(".module-card[data-module='alpha'] .module-total"))
                .getText()).isEqualTo("30 tasks");
        new Select(browser.driver.findElement(By.id("f-module"))).selectByValue("alpha");
        browser.driver.findElement(By.id("f-type")).sendKeys("restore");
        browser.driver.findElement(By.cssSelector(".filters button[type='submit']")).click();
        assertThat(awaitRows(5)).allMatch(row -> row.startsWith("restore /srv/restore/"));
        assertThat(browser.driver.getCurrentUrl()).contains("module=alpha", "type=restore");

        WebElement type = browser.driver.findElement(By.id("f-type"));
        type.clear();
        browser.driver.findElement(By.id("f-label")).sendKeys("ticket:OPS-7");
        browser.driver.findElement(By.cssSelector(".filters button[type='submit']")).click();
        browser.await("the label in the URL", d -> d.getCurrentUrl().contains("label=ticket%3AOPS-7"));
        assertThat(awaitRows(5)).allMatch(row -> row.startsWith("restore "));

        browser.open(url("/ui/?module=alpha&state=failed"));
        assertThat(awaitRows(3)).allMatch(row -> row.startsWith("backup "));
        assertThat(browser.driver.findElement(By.cssSelector("input[name='state'][value='failed']")).isSelected())
                .isTrue();

        browser.open(url("/ui/?module=alpha"));
        new Select(browser.awaitVisible(By.id("f-size"))).selectByValue("10");
        browser.driver.findElement(By.cssSelector(".filters button[type='submit']")).click();
        List<String> first = awaitPage("Tasks 1–10 of 30");
        browser.screenshot("paging-first-page");
        browser.driver.findElement(By.cssSelector(".pager a[data-rel='next']")).click();
        List<String> second = awaitPage("Tasks 11–20 of 30");
        browser.driver.findElement(By.cssSelector(".pager a[data-rel='next']")).click();
        List<String> third = awaitPage("Tasks 21–30 of 30");
        assertThat(browser.driver.findElements(By.cssSelector(".pager a[data-rel='next']"))).isEmpty();
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        all.addAll(third);
        assertThat(all).hasSize(30);
        browser.driver.findElement(By.cssSelector(".pager a[data-rel='previous']")).click();
        assertThat(awaitPage("Tasks 11–20 of 30")).isEqualTo(second);
        browser.driver.navigate().back();
        assertThat(awaitPage("Tasks 21–30 of 30")).isEqualTo(third);
    }

    @Test
    void aDeepLinkOpensTheTaskAndParentsAndChildrenLinkToEachOther() throws Exception {
        TaskModule module = server.taskManager().module("deep");
        TrackedTask parent = module.task("restore").entity("/srv/deep").userTask().abortable()
                .progressUnits("bytes").label("ticket", "OPS-9").track();
        parent.start();
        parent.progress().set(3L << 20, 10L << 20);
        TrackedTask child = module.task("part").entity("part-1").parent(parent.id()).track();
        child.start();

        browser.open(server.server.uri() + "/");
        browser.await("the redirect to /ui/", d -> d.getCurrentUrl().endsWith("/ui/"));

        browser.open(url("/ui/tasks/" + child.id()));
        browser.await("the child's page", d -> heading("part part-1"));
        browser.js("window.sameDocument = true;");
        browser.driver.findElement(By.cssSelector(".crumbs .parent-link")).click();
        browser.await("the parent's page", d -> heading("restore /srv/deep"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/ui/tasks/" + parent.id());
        assertThat(browser.driver.findElement(By.cssSelector(".task-progress .progress-text")).getText())
                .isEqualTo("3.0 MiB of 10.0 MiB (30%)");
        assertThat(browser.driver.findElement(By.cssSelector(".details")).getText()).contains("ticket", "OPS-9");
        WebElement created = browser.driver.findElement(By.cssSelector(".details time"));
        assertThat(created.getAttribute("title")).endsWith(" UTC");
        assertThat(browser.driver.findElement(By.id("abort-button")).isDisplayed()).isTrue();
        browser.screenshot("deep-link-parent");
        browser.driver.findElement(By.xpath("//ul[@id='task-tree']//a[contains(., 'part-1')]")).click();
        browser.await("back on the child's page", d -> heading("part part-1"));
        assertThat(browser.driver.findElement(By.id("abort-button")).isDisplayed()).as("not abortable").isFalse();
        assertThat(browser.js("return window.sameDocument === true")).isEqualTo(true);

        UUID unknown = UUID.randomUUID();
        expectedConsoleErrors.add(unknown + "?view=tree - Failed to load resource: the server responded with a status"
                + " of 404");
        browser.open(url("/ui/tasks/" + unknown));
        browser.await("not found", d -> heading("Task not found"));
        browser.open(url("/ui/tasks/not-an-id"));
        browser.await("not an id", d -> heading("Not a task id"));
    }

    @Test
    void atPhoneWidthNothingScrollsSideways() throws Exception {
        TaskModule module = server.taskManager().module("phone");
        TrackedTask task = module.task("manifest").entity("/srv/a/rather/long/path/that/keeps/going/and/going/"
                + "until/it/would/not/fit/on/a/phone/at/all.tar").userTask().abortable().progressUnits("bytes")
                .label("requested-by", "someone-with-a-long-name@example.com").track();
        task.start();
        task.progress().set(1L << 30, 5L << 30);
        browser.resize(Browser.PHONE);

        browser.open(url("/ui/?module=phone"));
        awaitRows(1);
        assertThat(sidewaysOverflow()).isZero();
        browser.screenshot("phone-list");
        browser.open(url("/ui/tasks/" + task.id()));
        browser.awaitVisible(By.id("task-tree"));
        assertThat(sidewaysOverflow()).isZero();
        browser.screenshot("phone-task");
    }

    @Test
    void everyControlIsLabelledFocusIsVisibleAndTheFiltersWorkFromTheKeyboard() throws Exception {
        server.taskManager().module("keys").task("scan").userTask().track().start();
        browser.open(url("/ui/?module=keys"));
        awaitRows(1);
        assertThat(unlabelledControls()).isEmpty();

        Actions keys = new Actions(browser.driver);
        keys.sendKeys(Keys.TAB).perform();
        assertThat(browser.js("return document.activeElement.className")).isEqualTo("skip-link");
        assertThat(browser.js("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        browser.driver.findElement(By.id("f-type")).click();
        keys.sendKeys("nothing-has-this-type").sendKeys(Keys.ENTER).perform();
        browser.await("the filtered list", d -> d.getCurrentUrl().contains("type=nothing-has-this-type"));
        browser.awaitVisible(By.cssSelector("tbody tr.empty"));

        HttpResponse<String> page = server.get("/ui/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(browser.js("return document.querySelectorAll('script:not([src]), style, [style]').length"))
                .isEqualTo(0L);
    }

    @Test
    void withAnAuthTokenThePageAsksForItOnceAndKeepsItForTheTab() throws Exception {
        Path token = temp.resolve("token");
        Files.writeString(token, "browser-test-token\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        expectedConsoleErrors.add("401");
        try (AppServer secured = AppServer.start(List.of(), "--auth-token-file", token.toString(),
                "--shutdown-timeout", "0")) {
            secured.taskManager().module("secret").task("scan").entity("/srv/secret").userTask().track().start();
            String list = secured.server.uri() + "/ui/?module=secret";

            browser.open(list);
            WebElement input = browser.awaitVisible(By.id("token"));
            assertThat(unlabelledControls()).isEmpty();
            input.sendKeys("wrong");
            input.sendKeys(Keys.ENTER);
            browser.await("the refusal", d -> d.findElement(By.id("sign-in-error")).getText()
                    .contains("refused this token"));
            input.clear();
            input.sendKeys("browser-test-token", Keys.ENTER);
            assertThat(awaitRows(1)).containsExactly("scan /srv/secret");
            assertThat(browser.driver.findElement(By.id("sign-out")).isDisplayed()).isTrue();

            browser.driver.navigate().refresh();
            assertThat(awaitRows(1)).containsExactly("scan /srv/secret");
            browser.screenshot("signed-in");
            browser.driver.findElement(By.id("sign-out")).click();
            browser.awaitVisible(By.id("token"));
            assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);
        }
    }

    @Test
    void theFirstPageOfAThousandTasksRendersAndItsTimeIsRecorded() throws Exception {
        TaskModule bulk = server.taskManager().module("bulk");
        for (int i = 0; i < 1000; i++) {
            TrackedTask task = bulk.task(i % 3 == 0 ? "manifest" : "verify").entity("/srv/bulk/dir-" + i).userTask()
                    .abortable().progressUnits("bytes").label("batch", "b" + (i % 7)).track();
            task.start();
            task.progress().set(i * 1024L * 1024, 1000L * 1024 * 1024);
            if (i % 4 == 0) {
                task.complete();
            }
        }
        List<String> lines = new ArrayList<>();
        for (int size : new int[] {1000, 100}) {
            List<Double> times = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                browser.open(url("/ui/?module=bulk&page_size=" + size));
                awaitRowCount(size);
                times.add(((Number) browser.js("return performance.getEntriesByName('tm:list-rendered')[0].startTime"))
                        .doubleValue());
            }
            lines.add(String.format("page_size=%d of 1000 tasks: first render %s ms after navigation start (3 loads)",
                    size, times.stream().map(t -> String.format("%.0f", t)).collect(Collectors.joining(", "))));
        }
        browser.screenshot("thousand-tasks");
        Files.createDirectories(Path.of(Browser.SCREENSHOTS));
        Files.write(Path.of(Browser.SCREENSHOTS, "first-render.txt"), lines);
        lines.forEach(System.out::println);
    }

    @Test
    void theEventStreamReaderSplitsLinesAnywhereAndKeepsIdsAndTheRetryDelay() throws Exception {
        browser.open(url("/ui/"));
        String events = ((String) browser.js("return document.querySelector('script[type=module]').src"))
                .replace("app.js", "events.js");
        List<String> chunks = List.of("\uFEFFretry: 2500\n\n: heartbeat\n", "id: 1\r", "\nevent: created\ndata: {\"id\":",
                "\"a\"}\r\n\r\n", "id: 2\nevent: progress\ndata: {\"id\":\"b\"}\n", "\n", "data: x\ndata:y\r\r",
                "id: 3\n\nevent: reset\n");
        String parsed = (String) browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import(arguments[0]).then(m => { const events = []; const ids = []; let retry = null;"
                + " const parser = new m.EventParser(e => events.push(e), id => ids.push(id), ms => { retry = ms; });"
                + " for (const chunk of arguments[1]) parser.push(chunk);"
                + " done(JSON.stringify({events, ids, retry})); }).catch(e => done('failed: ' + e));", events, chunks);

        JsonNode result = new ObjectMapper().readTree(parsed);
        assertThat(result.get("retry").asInt()).isEqualTo(2500);
        assertThat(result.get("ids").toString()).isEqualTo("[\"1\",\"2\",\"2\",\"3\"]");
        assertThat(result.get("events").toString()).isEqualTo("[{\"type\":\"created\",\"data\":\"{\\\"id\\\":\\\"a\\\"}\","
                + "\"id\":\"1\"},{\"type\":\"progress\",\"data\":\"{\\\"id\\\":\\\"b\\\"}\",\"id\":\"2\"},"
                + "{\"type\":\"message\",\"data\":\"x\\ny\",\"id\":\"2\"}]");
    }

    private static String url(String path) {
        return server.server.uri() + path;
    }

    private static boolean heading(String text) {
        List<WebElement> h1 = browser.driver.findElements(By.tagName("h1"));
        return !h1.isEmpty() && h1.get(0).getText().equals(text);
    }

    /** Waits for the table to hold {@code n} tasks; their names ("type entity"). */
    private static List<String> awaitRows(int n) {
        awaitRowCount(n);
        List<String> names = new ArrayList<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("tbody tr[data-task-id]"))) {
            names.add(row.findElement(By.cssSelector(".c-task")).getText().replace('\n', ' '));
        }
        return names;
    }

    private static void awaitRowCount(int n) {
        browser.await(n + " rows", d -> ((Number) browser.js(
                "return document.querySelectorAll('tbody tr[data-task-id]').length")).intValue() == n);
    }

    /** Waits for the summary to read {@code summary}; the ids of the page's tasks. */
    private static List<String> awaitPage(String summary) {
        browser.await(summary, d -> d.findElement(By.id("list-summary")).getText().equals(summary));
        List<String> ids = new ArrayList<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("tbody tr[data-task-id]"))) {
            ids.add(row.getAttribute("data-task-id"));
        }
        return ids;
    }

    private static long sidewaysOverflow() {
        return (Long) browser.js("return Math.max(0, document.documentElement.scrollWidth"
                + " - document.documentElement.clientWidth)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> unlabelledControls() {
        return (List<String>) browser.js("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')"
                + " && !el.getAttribute('aria-labelledby')).map(el => el.outerHTML)");
    }
}
