package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.Task;
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

    @Test
    void aDepartureIsKeptWhateverArrivesAfterItAndEndsWithTheFinalStatus() throws Exception {
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(dirty);
        List<TrackedTask> tasks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            recorder.mark(task);
            tasks.add(task);
        }
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            done.add(pool.submit(() -> { // progress reports, late ones included
                start.await();
                for (int round = 0; round < 100; round++) {
                    tasks.forEach(recorder::mark);
                }
                return null;
            }));
            done.add(pool.submit(() -> { // completions: every other task announces its departure first, as a fold does
                start.await();
                for (int i = 0; i < tasks.size(); i++) {
                    TrackedTask task = tasks.get(i);
                    task.complete();
                    if (i % 2 == 0) {
                        recorder.onUnregistered(task);
                        recorder.onFinished(task, true);
                    } else {
                        recorder.onFinished(task, true);
                        recorder.onUnregistered(task);
                    }
                }
                return null;
            }));
            done.add(pool.submit(() -> { // a writer whose batches fail: it puts every entry back
                start.await();
                for (int round = 0; round < 300; round++) {
                    for (UUID id : new ArrayList<>(dirty.keySet())) {
                        Object taken = dirty.remove(id);
                        if (taken != null) {
                            recorder.putBack(id, taken);
                        }
                    }
                }
                return null;
            }));
            start.await();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (TrackedTask task : tasks) {
            recorder.mark(task);
            recorder.putBack(task.id(), task); // an older write that failed late
            assertDepartedWithItsFinalStatus(dirty.get(task.id()), task);
        }
        assertThat(dirty).hasSize(tasks.size());
    }

    @Test
    void whileSheddingADepartureWrapsAWaitingEntryAndIsCountedWhenNothingWaits() throws Exception {
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(dirty);
        TrackedTask waiting = tm.module("m").task("t").track();
        TrackedTask other = tm.module("m").task("t").track();
        waiting.complete();
        other.complete();
        recorder.onFinished(waiting, true);
        recorder.shedding = true;

        recorder.onUnregistered(waiting);
        recorder.onUnregistered(other);

        assertThat(dirty).containsOnlyKeys(waiting.id());
        assertDepartedWithItsFinalStatus(dirty.get(waiting.id()), waiting);
        assertThat(recorder.dropped.sum()).isEqualTo(1);
    }

    private static void assertDepartedWithItsFinalStatus(Object entry, Task task) throws Exception {
        assertThat(entry).as("task %s", task.id()).isInstanceOf(Recorder.Departure.class);
        assertThat(Recorder.isFinal(entry)).as("task %s holds its final state", task.id()).isTrue();
        assertThat(Recorder.snapshot(entry)).as("task %s", task.id()).isEqualTo(task.done().get());
    }

    @Test
    void aTaskThatLeavesUnfinishedIsNotWrittenForItsDepartureAlone() {
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(dirty);
        TrackedTask task = tm.module("m").task("t").track(); // as a creation that failed and backed out

        recorder.onUnregistered(task);

        assertThat(dirty).isEmpty();
        assertThat(recorder.dropped.sum()).isZero();
    }
}
