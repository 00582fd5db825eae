package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §17: created and updated times. */
class TimesTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void theCreatedTimeIsTheRegistrationInstantAndTheUpdatedTimeStartsThere() {
        time.advance(Duration.ofSeconds(3));
        TrackedTask task = module.task("copy").track();
        time.advance(Duration.ofSeconds(2));

        TaskStatus status = task.status();
        assertThat(status.createdTime()).isEqualTo(FakeTime.START.plusSeconds(3));
        assertThat(status.updatedTime()).isEqualTo(FakeTime.START.plusSeconds(3));
        assertThat(task.stats().createdTime()).isEqualTo(FakeTime.START.plusSeconds(3));
    }

    @Test
    void theUpdatedTimeFollowsStateChangesAndProgress() {
        TrackedTask task = module.task("copy").track();
        time.advance(Duration.ofSeconds(1));
        task.start();
        assertThat(task.status().updatedTime()).isEqualTo(FakeTime.START.plusSeconds(1));

        time.advance(Duration.ofMillis(2500));
        task.progress().add(10);
        time.advance(Duration.ofSeconds(7));
        assertThat(task.status().updatedTime()).isEqualTo(FakeTime.START.plusMillis(3500));

        time.advance(Duration.ofSeconds(1));
        task.complete();
        assertThat(task.status().updatedTime()).isEqualTo(task.status().endTime());
    }

    @Test
    void aParentIsUpdatedByItsChildrensChanges() {
        TrackedTask parent = module.task("backup").track();
        parent.start();
        TrackedTask child = parent.child("copy").track();
        time.advance(Duration.ofSeconds(4));
        child.start();
        assertThat(parent.status().updatedTime()).isEqualTo(FakeTime.START.plusSeconds(4));

        time.advance(Duration.ofSeconds(2));
        child.progress().add(1);
        assertThat(parent.status().updatedTime()).isEqualTo(FakeTime.START.plusSeconds(6));

        time.advance(Duration.ofSeconds(3));
        child.complete();
        assertThat(parent.status().updatedTime()).as("a child folded at +9s").isEqualTo(FakeTime.START.plusSeconds(9));
    }

    @Test
    void createdTimesStrictlyIncreaseWithinAShardEvenOnAFrozenClock() {
        Instant frozen = Instant.parse("2025-01-16T16:12:11Z");
        try (TaskManager manager = TaskManager.builder().clock(Clock.fixed(frozen, ZoneOffset.UTC))
                .housekeepingInterval(Duration.ZERO).build()) {
            TaskModule m = manager.module("m");
            Instant previous = null;
            for (int i = 0; i < 5; i++) {
                Instant created = m.task("t").track().status().createdTime();
                if (previous != null) {
                    assertThat(created).isEqualTo(previous.plusNanos(1));
                }
                previous = created;
            }
            TrackedTask last = m.task("t").track();
            last.start();
            last.complete();
            TaskStatus status = last.status();
            assertThat(status.createdTime()).isAfter(frozen);
            assertThat(status.startTime()).as("never before the raised creation stamp").isEqualTo(status.createdTime());
            assertThat(status.endTime()).isEqualTo(status.createdTime());
            assertThat(status.updatedTime()).isEqualTo(status.createdTime());
        }
    }
}
