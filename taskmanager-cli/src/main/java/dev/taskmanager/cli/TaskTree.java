package dev.taskmanager.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tasks watch} keeps of one answer of {@code GET /v2/tasks/{id}?view=tree}: the task
 * (its members as sent, without {@code descendants}), its running descendants (at most
 * {@value #MAX_RUNNING_KEPT}, in the server's breadth-first order) and counts of the rest. It is
 * read as the answer arrives ({@link #read}), so a tree of any size costs the running tasks it has,
 * not its size. Immutable.
 *
 * @param task      the task, as sent
 * @param running   running descendants, as sent, at most {@value #MAX_RUNNING_KEPT}
 * @param runningCount every running descendant
 * @param finished  descendants that ended ({@code done}, {@code failed}, {@code aborted})
 * @param failed    of those, the ones that {@code failed} or were {@code aborted}
 * @param descendantsRead whether the counts are known: false for a task read without its tree
 */
record TaskTree(Json.Obj task, List<Json.Obj> running, long runningCount, long finished,
        long failed, boolean descendantsRead) {

    /** The most running descendants kept; more are counted. */
    static final int MAX_RUNNING_KEPT = 1000;

    TaskTree {
        running = List.copyOf(running);
    }

    /** A task read alone (a wait's answer): nothing known below it. */
    static TaskTree alone(Json.Obj task) {
        return new TaskTree(task, List.of(), 0, 0, 0, false);
    }

    /** Reads a tree answer from {@code body} as it arrives. */
    static TaskTree read(InputStream body) throws IOException {
        return JsonReader.read(body, TaskTree::read);
    }

    private static TaskTree read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("expected a task object");
        }
        List<Json.Member> members = new ArrayList<>();
        List<Json.Obj> running = new ArrayList<>();
        long runningCount = 0;
        long finished = 0;
        long failed = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!name.equals("descendants") || value != JsonToken.START_ARRAY) {
                members.add(new Json.Member(name, JsonReader.value(parser)));
                continue;
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (!(JsonReader.value(parser) instanceof Json.Obj descendant)) {
                    continue;
                }
                switch (state(descendant)) {
                    case "running" -> {
                        runningCount++;
                        if (running.size() < MAX_RUNNING_KEPT) {
                            running.add(descendant);
                        }
                    }
                    case "done" -> finished++;
                    case "failed", "aborted" -> {
                        finished++;
                        failed++;
                    }
                    default -> {
                        // created: neither running nor finished yet
                    }
                }
            }
        }
        return new TaskTree(new Json.Obj(members), running, runningCount, finished, failed, true);
    }

    /** The task's v2 state ({@code running}, {@code done}...), or {@code ""}. */
    String state() {
        return state(task);
    }

    /** Whether the task ended: {@code done}, {@code failed} or {@code aborted}. */
    boolean ended() {
        return switch (state()) {
            case "done", "failed", "aborted" -> true;
            default -> false;
        };
    }

    /**
     * Whether there is something to say about the descendants: they were read, and there are
     * some (running, finished, or waiting to start).
     */
    boolean hasDescendants() {
        return descendantsRead && (runningCount + finished > 0
                || (task.get("children") instanceof Json.Arr children
                        && !children.elements().isEmpty()));
    }

    /** The document {@code watch --output json} prints: {@code {"task": ..., "running": [...]}}. */
    Json.Obj document() {
        return new Json.Obj(List.of(new Json.Member("task", task),
                new Json.Member("running", new Json.Arr(List.<Json>copyOf(running)))));
    }

    static String state(Json.Obj task) {
        return task.get("state") instanceof Json.Str s ? s.value() : "";
    }
}
