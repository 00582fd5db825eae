package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads change many tasks at once, released together by a barrier, while clients with
 * different filters read; then every client's stream is checked: ids strictly increase, each task's
 * events follow its life, nothing is missing or repeated, and no per-task state is left behind.
 */
class EventHammerTest {
    private static final int THREADS = 8;
    private static final int TASKS_PER_THREAD = 150;

    @Test
    void clientsLeavingWhileEventsAreWrittenToThemAreForgottenAndTheOneThatStaysMissesNothing() throws Exception {
        int leaving = 60;
        try (EventServer s = new EventServer(b -> b.eventBuffer(100_000).idleTimeout(java.time.Duration.ofHours(1)));
             SseClient staying = s.open("?module=a")) {
            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < leaving; i++) {
                streams.add(s.open(i % 3 == 0 ? "?module=a" : ""));
            }
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            CountDownLatch done = new CountDownLatch(THREADS + 1);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<String> created = ConcurrentHashMap.newKeySet();
            for (int t = 0; t < THREADS; t++) {
                new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 100; i++) {
                            TrackedTask task = s.module("a").task("copy").scope("node").track();
                            created.add(task.id().toString());
                            task.start();
                            task.complete();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            new Thread(() -> {
                try {
                    start.await();
                    streams.forEach(SseClient::close);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }).start();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();

            Await.until("only the staying client is left", () -> s.events().connectedClients() == 1);
            TrackedTask marker = s.module("a").task("marker").scope("node").track();
            marker.start();
            marker.complete();
            Map<String, List<String>> byTask = readUntilUnregistered(staying, marker.id().toString());
            for (String id : created) {
                assertThat(byTask.get(id)).as("events of %s", id).containsSubsequence("created", "started", "finished");
            }
            assertThat(s.events().connectedClients()).isEqualTo(1);
            assertThat(s.events().droppedClients()).as("leaving is not being dropped").isZero();
        }
    }

    @Test
    void concurrentChangesReachEveryClientCompleteAndInOrder() throws Exception {
        try (EventServer s = new EventServer(b -> b.eventBuffer(100_000));
             SseClient all = s.open("");
             SseClient moduleA = s.open("?module=a");
             SseClient finished = s.open("?types=finished")) {
            Map<String, String> moduleOf = new ConcurrentHashMap<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            CountDownLatch done = new CountDownLatch(THREADS);
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String module = t % 2 == 0 ? "a" : "b";
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < TASKS_PER_THREAD; i++) {
                            TrackedTask root = s.module(module).task("root").scope("node").track();
                            moduleOf.put(root.id().toString(), module);
                            root.start();
                            TrackedTask child = s.module(module).task("part").scope("file").parent(root.id()).track();
                            moduleOf.put(child.id().toString(), module);
                            child.start();
                            for (int p = 1; p <= 5; p++) {
                                child.progress().set(p, 5);
                                root.progress().set(p, 10);
                            }
                            if (i % 3 == 0) {
                                child.fail("boom");
                            } else {
                                child.complete();
                            }
                            root.complete();
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    } finally {
                        done.countDown();
                    }
                });
                thread.start();
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            TrackedTask marker = s.module("a").task("marker").scope("node").track();
            marker.start();
            marker.complete();
            String end = marker.id().toString();

            Map<String, List<String>> byTask = readUntilUnregistered(all, end);
            moduleOf.forEach((id, module) -> assertLife(id, byTask.get(id)));
            assertThat(byTask.keySet()).containsAll(moduleOf.keySet());

            Map<String, List<String>> ofA = readUntilUnregistered(moduleA, end);
            Set<String> expectedA = new HashSet<>();
            moduleOf.forEach((id, module) -> {
                if (module.equals("a")) {
                    expectedA.add(id);
                }
            });
            expectedA.add(end);
            assertThat(ofA.keySet()).isEqualTo(expectedA);
            ofA.forEach((id, events) -> assertThat(events).isEqualTo(byTask.get(id)));

            Map<String, List<String>> ends = readUntilFinished(finished, end);
            moduleOf.keySet().forEach(id -> assertThat(ends.get(id)).containsExactly("finished"));

            assertThat(s.events().feed().progressSlots()).as("coalescing state left").isZero();
            assertThat(s.events().feed().lineageSize()).as("cached parents left").isZero();
            assertThat(s.events().feed().orderingState()).as("ended children remembered").isZero();
            assertThat(s.events().feed().lostChanges()).isZero();
        }
    }

    /** Each task's event types, reading until the marker's {@code unregistered}; ids must increase. */
    private static Map<String, List<String>> readUntilUnregistered(SseClient sse, String marker) {
        return read(sse, marker, "unregistered");
    }

    private static Map<String, List<String>> readUntilFinished(SseClient sse, String marker) {
        return read(sse, marker, "finished");
    }

    private static Map<String, List<String>> read(SseClient sse, String marker, String lastType) {
        Map<String, List<String>> byTask = new HashMap<>();
        long previous = 0;
        while (true) {
            SseClient.Frame event = sse.nextEvent();
            assertThat(event.idNumber()).isGreaterThan(previous);
            previous = event.idNumber();
            assertThat(event.event()).isNotEqualTo("reset");
            String id = event.taskId();
            byTask.computeIfAbsent(id, k -> new ArrayList<>()).add(event.event());
            if (id.equals(marker) && event.event().equals(lastType)) {
                return byTask;
            }
        }
    }

    /** created, started, progress..., finished, unregistered: each once but progress, in this order. */
    private static void assertLife(String id, List<String> events) {
        assertThat(events).as("events of %s", id).isNotNull();
        String life = String.join(" ", events);
        assertThat(life).as("life of %s", id).matches("created started( progress)* finished unregistered");
    }
}
