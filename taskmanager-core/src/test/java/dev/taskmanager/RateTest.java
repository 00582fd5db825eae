package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §18: rate and ETA from a scripted sequence of reports on the fake clock. */
class RateTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    private TrackedTask started() {
        TrackedTask task = module.task("copy").progressUnits("bytes").track();
        task.start();
        return task;
    }

    /** Reports {@code perSecond} once a second for {@code seconds} seconds. */
    private void report(TrackedTask task, double perSecond, int seconds) {
        for (int i = 0; i < seconds; i++) {
            time.advance(Duration.ofSeconds(1));
            task.progress().add(perSecond);
        }
    }

    @Test
    void aSteadyRateReadsExactlyAndGivesTheTimeLeft() {
        TrackedTask task = started();
        task.progress().set(0, 1000);
        report(task, 10, 30);

        TaskStatus status = task.status();
        assertThat(status.rate()).isCloseTo(10.0, within(1e-9));
        assertThat(status.eta()).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void theRateFollowsTheLastHalfMinuteNotTheAverageSinceStart() {
        TrackedTask task = started();
        task.progress().set(0, 100_000);
        report(task, 10, 60);
        report(task, 100, 30);

        assertThat(task.status().rate()).as("5%% of the weight is older than 30 s").isBetween(95.0, 100.0);
    }

    @Test
    void irregularReportsOfASteadyRateStillReadExactly() {
        TrackedTask task = started();
        task.progress().add(0);
        int[] gaps = {1, 3, 2, 7, 1, 1, 4};
        for (int gap : gaps) {
            time.advance(Duration.ofSeconds(gap));
            task.progress().add(5.0 * gap);
        }

        assertThat(task.status().rate()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void theRateDecaysTowardZeroWhenReportsStop() {
        TrackedTask task = started();
        task.progress().set(0, 1000);
        report(task, 10, 20);
        double last = task.status().rate();
        Duration lastEta = task.status().eta();
        for (int i = 0; i < 12; i++) {
            time.advance(Duration.ofSeconds(10));
            double now = task.status().rate();
            assertThat(now).isLessThan(last).isGreaterThanOrEqualTo(0);
            assertThat(task.status().eta()).isGreaterThan(lastEta);
            last = now;
            lastEta = task.status().eta();
        }
        assertThat(last).isLessThan(0.01);
        time.advance(Duration.ofMinutes(10));
        assertThat(task.status().eta()).as("a century or more is no estimate").isNull();
    }

    @Test
    void rateAndEtaAreAbsentUntilTheyCanBeTold() {
        TrackedTask task = started();
        assertThat(task.status().rate()).isNull();

        task.progress().add(5);
        assertThat(task.status().rate()).as("one report is only a baseline").isNull();

        report(task, 5, 2);
        assertThat(task.status().rate()).isCloseTo(5.0, within(1e-9));
        assertThat(task.status().eta()).as("no total declared").isNull();

        task.complete();
        assertThat(task.status().rate()).as("an ended task has no rate").isNull();
        assertThat(task.status().eta()).isNull();
    }

    @Test
    void aSteadyZeroRateIsZeroWithNoEta() {
        TrackedTask task = started();
        task.progress().set(0, 10);
        time.advance(Duration.ofSeconds(5));
        task.progress().set(0, 10);

        assertThat(task.status().rate()).isZero();
        assertThat(task.status().eta()).isNull();
    }

    @Test
    void goingBackwardsStartsTheEstimateAfresh() {
        TrackedTask task = started();
        task.progress().set(0, 100);
        report(task, 10, 5);
        task.progress().set(0, 100);
        assertThat(task.status().rate()).isNull();

        time.advance(Duration.ofSeconds(2));
        task.progress().set(6, 100);
        assertThat(task.status().rate()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void aParentsRateIsItsLiveChildrensAndItsEtaCountsItsExpectedTotal() {
        TrackedTask parent = started();
        parent.progress().expectTotal(1000);
        TrackedTask a = parent.child("copy").track();
        a.start();
        TrackedTask b = parent.child("copy").track();
        b.start();
        a.progress().add(0);
        b.progress().add(0);
        for (int i = 0; i < 10; i++) {
            time.advance(Duration.ofSeconds(1));
            a.progress().add(10);
            b.progress().add(30);
        }

        TaskStatus status = parent.status();
        assertThat(status.progress()).isEqualTo(new TaskProgress(400, 1000));
        assertThat(status.rate()).isCloseTo(40.0, within(1e-9));
        assertThat(status.eta()).isEqualTo(Duration.ofSeconds(15));

        b.complete();
        assertThat(parent.status().rate()).as("a finished child no longer adds to the rate")
                .isCloseTo(10.0, within(1e-9));
    }
}
