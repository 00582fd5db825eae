package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard of one fleet node in headless Chromium, with a second node sharing its PostgreSQL: the
 * "All nodes" toggle appears because the server says it is a fleet node, lists the other node's task
 * with its node, opens it through this node, and aborts it there (202, then aborted on its node).
 */
class DashboardFleetBrowserTest {
    private final List<AppServer> nodes = new ArrayList<>();
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        String url = SharedPostgres.newDatabase();
        nodes.add(FleetNodes.start(url, "node-a"));
        nodes.add(FleetNodes.start(url, "node-b"));
        browser = Browser.start();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(browser.consoleErrors()).isEmpty();
        } finally {
            browser.close();
            nodes.forEach(AppServer::close);
        }
    }

    @Test
    void theAllNodesToggleListsTheOtherNodesTaskWithItsNodeAndAbortsItThroughThisNode() throws Exception {
        AppServer a = nodes.get(0);
        AppServer b = nodes.get(1);
        TrackedTask onA = a.taskManager().module("work").task("copy").entity("/on/node-a").userTask().track();
        onA.start();
        TrackedTask onB = b.taskManager().module("work").task("copy").entity("/on/node-b").abortable().userTask()
                .track();
        onB.start();
        onB.onAbort(() -> ForkJoinPool.commonPool().execute(onB::complete)); // its owner stops when asked
        FleetNodes.flush(a, b);

        browser.open(a.server.uri() + "/ui/?module=work");
        WebElement toggle = browser.awaitVisible(By.id("f-cluster"));
        browser.await("this node's task", d -> rowIds().equals(List.of(onA.id().toString())));
        assertThat(headers()).doesNotContain("Node");
        assertThat(browser.driver.findElement(By.cssSelector("label:has(#f-cluster)")).getText())
                .isEqualTo("All nodes");

        toggle.click();
        browser.await("both nodes' tasks", d -> rowIds().size() == 2);
        assertThat(browser.driver.getCurrentUrl()).contains("cluster=true");
        assertThat(headers()).containsSubsequence("Task", "Node", "Module");
        assertThat(nodeCell(onB.id().toString())).isEqualTo(FleetNodes.address("node-b"));
        assertThat(nodeCell(onA.id().toString())).isEqualTo(FleetNodes.address("node-a"));
        assertThat(browser.driver.findElement(By.id("f-cluster")).isSelected()).isTrue();
        browser.screenshot("fleet-all-nodes");

        browser.driver.findElement(By.cssSelector("tr[data-task-id='" + onB.id() + "'] .task-link")).click();
        browser.await("B's task opened through A", d -> d.getCurrentUrl().equals(
                a.server.uri() + "/ui/tasks/" + onB.id()) && d.findElements(By.cssSelector(".details dd")).size() > 3);
        assertThat(browser.driver.findElement(By.cssSelector(".details")).getText())
                .contains(FleetNodes.address("node-b"));
        browser.awaitVisible(By.id("abort-button")).click();
        WebElement dialog = browser.awaitVisible(By.id("abort-dialog"));
        dialog.findElement(By.id("abort-reason")).sendKeys("asked on node A");
        dialog.findElement(By.id("abort-confirm")).click();

        TaskStatus ended = onB.done().get(30, TimeUnit.SECONDS);
        assertThat(ended.aborted()).isTrue();
        assertThat(ended.abortRequest().reason()).isEqualTo("asked on node A");
        assertThat(ended.abortRequest().requestedBy()).isEqualTo("dashboard");
        browser.awaitVisible(By.cssSelector(".task-badges .state-aborted")); // the page's :wait, answered by B's end
        browser.screenshot("fleet-remote-abort");

        browser.open(a.server.uri() + "/ui/?module=work&cluster=true");
        browser.awaitVisible(By.id("f-cluster")).click();
        browser.await("this node's tasks again", d -> !d.getCurrentUrl().contains("cluster")
                && rowIds().equals(List.of(onA.id().toString())));
        assertThat(headers()).doesNotContain("Node");
    }

    private List<String> rowIds() {
        List<String> ids = new ArrayList<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("tbody tr[data-task-id]"))) {
            ids.add(row.getAttribute("data-task-id"));
        }
        return ids;
    }

    private List<String> headers() {
        List<String> names = new ArrayList<>();
        for (WebElement th : browser.driver.findElements(By.cssSelector("table.tasks thead th"))) {
            names.add(th.getText());
        }
        return names;
    }

    private String nodeCell(String id) {
        return browser.driver.findElement(By.cssSelector("tr[data-task-id='" + id + "'] .c-node")).getText();
    }
}
