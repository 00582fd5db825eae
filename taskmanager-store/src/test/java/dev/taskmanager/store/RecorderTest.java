package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's map under concurrent marks, completions and a draining writer. */
class RecorderTest {
    private final TaskManager tm = new FakeTime().builder().build();

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aFinalStatusIsNeverReplacedByAHandleAndTheMapHoldsOneEntryPerTask() throws Exception {
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(dirty);
        List<TrackedTask> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            tasks.add(task);
        }
        int markers = 3;
        CyclicBarrier start = new CyclicBarrier(markers + 2);
        ExecutorService pool = Executors.newFixedThreadPool(markers + 2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int m = 0; m < markers; m++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 200; round++) {
                        tasks.forEach(recorder::mark);
                        assertThat(dirty.size()).isLessThanOrEqualTo(tasks.size());
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> { // completions, as task threads report them
                start.await();
                for (TrackedTask task : tasks) {
                    task.complete();
                    recorder.onFinished(task, true);
                }
                return null;
            }));
            done.add(pool.submit(() -> { // a writer whose batches of handles fail: it puts them back
                start.await();
                for (int round = 0; round < 200; round++) {
                    for (var entry : dirty.entrySet()) {
                        Object taken = entry.getValue();
                        if (!Recorder.isFinal(taken) && dirty.remove(entry.getKey(), taken)) {
                            recorder.putBack(entry.getKey(), taken);
                        }
                    }
                }
                return null;
            }));
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (TrackedTask task : tasks) {
            recorder.mark(task); // a late progress report changes nothing either
            assertThat(dirty.get(task.id())).as("task %s", task.id()).isInstanceOf(Recorder.Final.class);
            assertThat(Recorder.snapshot(dirty.get(task.id()))).as("task %s", task.id()).isEqualTo(task.done().get());
        }
        assertThat(dirty).hasSize(tasks.size());
    }

    @Test
    void whileSheddingNothingNewIsMarkedAndFinalsOfTasksNotWaitingAreCounted() throws Exception {
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(dirty);
        TrackedTask waiting = tm.module("m").task("t").track();
        recorder.onCreated(waiting);
        recorder.shedding = true;
        TrackedTask other = tm.module("m").task("t").track();
        recorder.onCreated(other);
        recorder.mark(other);
        assertThat(dirty).containsOnlyKeys(waiting.id());

        waiting.complete();
        other.complete();
        recorder.onFinished(waiting, false);
        recorder.onFinished(other, false);

        assertThat(dirty.get(waiting.id())).as("a waiting task's final state replaces it")
                .isInstanceOf(Recorder.Final.class);
        assertThat(dirty).hasSize(1);
        assertThat(recorder.dropped.sum()).isEqualTo(1);
    }
}
