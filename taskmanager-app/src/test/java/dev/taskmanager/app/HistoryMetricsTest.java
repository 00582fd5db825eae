package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code serve} publishes its history store's health at {@code /metrics} as {@code taskmanager_history_*}. */
class HistoryMetricsTest {

    private static double sample(String scrape, String line) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(line + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theHistoryStoresStateAndWritesAreInTheScrape() throws Exception {
        try (AppServer app = AppServer.start(List.of())) {
            TaskModule module = app.taskManager().module("backup");
            for (int i = 0; i < 5; i++) {
                TrackedTask task = module.task("backup").track();
                task.start();
                task.complete();
            }
            assertThat(app.wiring.history().flush(Duration.ofSeconds(30))).isTrue();

            HttpResponse<String> answer = app.get("/metrics");

            assertThat(answer.statusCode()).isEqualTo(200);
            String scrape = answer.body();
            assertThat(sample(scrape, "taskmanager_history_state{state=\"up\"}")).isEqualTo(1);
            assertThat(sample(scrape, "taskmanager_history_state{state=\"down\"}")).isZero();
            assertThat(sample(scrape, "taskmanager_history_written_total")).isGreaterThanOrEqualTo(5);
            assertThat(sample(scrape, "taskmanager_history_pending")).isZero();
            assertThat(sample(scrape, "taskmanager_history_failures_total")).isZero();
            assertThat(sample(scrape, "taskmanager_tasks_finished_total{module=\"backup\",outcome=\"done\",type=\"backup\"}"))
                    .isEqualTo(5);
        }
    }

    @Test
    void withNoMetricsTheStoreStillRecordsAndNothingIsServed() throws Exception {
        try (AppServer app = AppServer.start(List.of(), "--no-metrics")) {
            assertThat(app.get("/metrics").statusCode()).isEqualTo(404);
            assertThat(app.server.metrics()).isEmpty();
            assertThat(app.wiring.history().health().state().name()).isEqualTo("UP");
        }
    }
}
