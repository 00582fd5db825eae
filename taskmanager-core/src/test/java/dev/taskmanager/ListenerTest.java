package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener hook sees every state change, and a failing listener harms nothing. */
class ListenerTest {

    @Test
    void listenersSeeCreatedStartedProgressFinishedAndUnregisteredInOrder() {
        try (TaskManager tm = new FakeTime().builder().build()) {
            List<String> events = new ArrayList<>();
            tm.addListener(new TaskListener() {
                @Override
                public void onCreated(Task task) {
                    throw new IllegalStateException("listeners that throw are skipped");
                }
            });
            TaskListener recorder = new TaskListener() {
                @Override
                public void onCreated(Task task) {
                    events.add("created " + task.state().wireName());
                }

                @Override
                public void onStarted(Task task) {
                    events.add("started " + task.state().wireName());
                }

                @Override
                public void onProgress(Task task) {
                    events.add("progress " + task.status().progress().completed());
                }

                @Override
                public void onFinished(TaskStatus status) {
                    events.add("finished " + status.state().wireName());
                }

                @Override
                public void onUnregistered(Task task) {
                    events.add("unregistered");
                }
            };
            tm.addListener(recorder);
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            task.progress().add(5);
            task.complete();
            assertThat(tm.removeListener(recorder)).isTrue();
            tm.module("m").task("t").track();

            assertThat(events).containsExactly("created created", "started running", "progress 5.0",
                    "finished done", "unregistered");
        }
    }
}
