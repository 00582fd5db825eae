package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder validates its settings and names them in its messages. */
class BuilderTest {

    @Test
    void aRepeatedSettingIsRejectedNamingTheValueAlreadyGiven() {
        assertThatThrownBy(() -> TaskManager.builder().shards(4).shards(8))
                .isInstanceOf(IllegalStateException.class).hasMessage("shards was already set to 4");
        assertThatThrownBy(() -> TaskManager.builder().taskTtl(Duration.ofSeconds(1)).taskTtl(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("taskTtl");
    }

    @Test
    void invalidValuesAreRejectedNamingTheSettingAndValue() {
        assertThatThrownBy(() -> TaskManager.builder().shards(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shards must be at least 1, got 0");
        assertThatThrownBy(() -> TaskManager.builder().userTaskTtl(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userTaskTtl")
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> TaskManager.builder().stopTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopTimeout");
    }

    @Test
    void defaultsMatchTheSpec() {
        try (TaskManager tm = TaskManager.builder().build()) {
            assertThat(tm.shardCount()).isEqualTo(1);
            assertThat(tm.taskTtl()).isEqualTo(Duration.ZERO);
            assertThat(tm.userTaskTtl()).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void theDefaultExecutorRunsBodiesOnDaemonThreads() throws Exception {
        try (TaskManager tm = TaskManager.builder().build()) {
            boolean[] daemon = new boolean[1];
            Task task = tm.module("m").task("t").start(ctx -> daemon[0] = Thread.currentThread().isDaemon());

            assertThat(task.done().get().state()).isEqualTo(TaskState.DONE);
            assertThat(daemon[0]).isTrue();
        }
    }

    @Test
    void thePeriodicHousekeepingExpiresTasksWithoutAnyLookup() throws Exception {
        FakeTime time = new FakeTime();
        java.util.concurrent.CountDownLatch unregistered = new java.util.concurrent.CountDownLatch(1);
        try (TaskManager tm = TaskManager.builder().clock(time).ticker(time).taskTtl(Duration.ofSeconds(5))
                .housekeepingInterval(Duration.ofMillis(1)).build()) {
            tm.addListener(new TaskListener() {
                @Override
                public void onUnregistered(Task task) {
                    unregistered.countDown();
                }
            });
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            task.complete();
            time.advance(Duration.ofSeconds(5));

            assertThat(unregistered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aTaskBuilderRejectsARepeatedSettingNamingTheValueAlreadyGiven() {
        try (TaskManager tm = new FakeTime().builder().build()) {
            TaskModule module = tm.module("m");

            assertThatThrownBy(() -> module.task("t").scope("node").scope("table"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("scope was already set to node");
            assertThatThrownBy(() -> module.task("t").abortable().abortable(false))
                    .isInstanceOf(IllegalStateException.class).hasMessage("abortable was already set to true");
            assertThatThrownBy(() -> module.task("t").label("tenant", "a").label("tenant", "b"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("label 'tenant' was already set to 'a'");
            TrackedTask parent = module.task("t").track();
            assertThatThrownBy(() -> parent.child("t").parent(parent.id()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("parent was already set");
        }
    }

    @Test
    void aTaskBuilderMakesExactlyOneTask() {
        try (TaskManager tm = new FakeTime().builder().executor(Runnable::run).build()) {
            TaskBuilder builder = tm.module("m").task("t");
            TrackedTask first = builder.track();

            assertThatThrownBy(builder::track).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already made task " + first.id());
            assertThatThrownBy(() -> builder.start(ctx -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> builder.submit(ctx -> 1)).isInstanceOf(IllegalStateException.class);
            assertThat(tm.module("m").tasks()).hasSize(1);
        }
    }

    @Test
    void taskSettingsAreValidatedNamingTheSettingAndValue() {
        try (TaskManager tm = new FakeTime().builder().build()) {
            TaskModule module = tm.module("m");

            assertThatThrownBy(() -> module.task("t").deadline(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline must be positive, got PT0S");
            assertThatThrownBy(() -> module.task("t").stallThreshold(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stallThreshold")
                    .hasMessageContaining("PT-1S");
            assertThatThrownBy(() -> module.task("t").label("", "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label key");
            assertThatThrownBy(() -> module.task("t").label("k", "v".repeat(1025)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k'").hasMessageContaining("1025");
            TaskBuilder many = module.task("t");
            for (int i = 0; i < 32; i++) {
                many.label("k" + i, "v");
            }
            assertThatThrownBy(() -> many.label("k32", "v"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 32 labels");
            assertThatThrownBy(() -> module.setStallThreshold(Duration.ofSeconds(-2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-2S");
        }
    }
}
