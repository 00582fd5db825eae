package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TrackedTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filters of {@code GET /v2/events} over real HTTP. Each test ends with a marker event that the
 * filter lets through, so that "nothing else came" is checked by what arrives before the marker, not
 * by waiting.
 */
class EventFilterTest {
    private EventServer s;

    @BeforeEach
    void start() {
        s = new EventServer();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void moduleKeepsThatModulesTasksOnly() {
        try (SseClient sse = s.open("?module=files&types=created")) {
            s.running("backup");
            TrackedTask mine = s.running("files");
            SseClient.Frame event = sse.nextEvent();
            assertThat(event.taskId()).isEqualTo(mine.id().toString());
            assertThat(event.json().get("module").asText()).isEqualTo("files");
        }
    }

    @Test
    void anUnknownModuleMatchesNothingRatherThanFailing() {
        try (SseClient sse = s.open("?module=nope")) {
            s.running("files");
            s.module("nope").task("t").scope("node").track();
            assertThat(sse.nextEvent().json().get("module").asText()).isEqualTo("nope");
        }
    }

    @Test
    void taskKeepsTheTaskAndItsWholeSubtreeIncludingChildrenCreatedLater() {
        TrackedTask root = s.running("files");
        TrackedTask other = s.running("files");
        try (SseClient sse = s.open("?task=" + root.id() + "&types=created,finished")) {
            TrackedTask child = s.module("files").task("dir").scope("directory").parent(root.id()).track();
            s.module("files").task("dir").scope("directory").parent(other.id()).track(); // a cousin: not wanted
            TrackedTask grandchild = s.module("files").task("file").scope("file").parent(child.id()).track();
            child.start();
            grandchild.start();
            grandchild.complete();
            other.complete();
            root.complete(); // the marker

            assertThat(sse.nextEvent().taskId()).isEqualTo(child.id().toString());
            SseClient.Frame second = sse.nextEvent();
            assertThat(second.event()).isEqualTo("created");
            assertThat(second.taskId()).isEqualTo(grandchild.id().toString());
            SseClient.Frame third = sse.nextEvent();
            assertThat(third.event()).isEqualTo("finished");
            assertThat(third.taskId()).isEqualTo(grandchild.id().toString());
            SseClient.Frame fourth = sse.nextEvent();
            assertThat(fourth.event()).isEqualTo("finished");
            assertThat(fourth.taskId()).isEqualTo(root.id().toString());
        }
    }

    @Test
    void aTaskFilterOnAnIdNobodyHasIsAcceptedAndMatchesNothing() {
        try (SseClient none = s.open("?task=7c9e6679-7425-40de-944b-e07fc1f90ae7");
             SseClient all = s.open("")) {
            TrackedTask task = s.running("files");
            assertThat(all.nextEvent().taskId()).isEqualTo(task.id().toString()); // in the log now
            s.timer.advance(java.time.Duration.ofSeconds(15));
            SseClient.Frame next = none.next();
            assertThat(next.isEvent()).as("the next frame of the filtered stream: %s", next).isFalse();
            assertThat(next.comment()).isEqualTo("heartbeat");
        }
    }

    @Test
    void typesKeepsTheNamedEventTypes() {
        try (SseClient sse = s.open("?types=started,%20unregistered")) {
            TrackedTask task = s.module("m").task("t").scope("node").track();
            task.start();
            task.progress().set(1, 2);
            task.complete();
            assertThat(sse.nextEvent().event()).isEqualTo("started");
            assertThat(sse.nextEvent().event()).isEqualTo("unregistered");
        }
    }

    @Test
    void stateKeepsEventsOfTasksInOneOfTheStatesAfterTheChange() {
        try (SseClient sse = s.open("?state=failed&state=aborted,abort_requested")) {
            TrackedTask done = s.running("m");
            done.complete();
            TrackedTask failed = s.running("m");
            failed.fail("boom");
            TrackedTask aborted = s.running("m");
            aborted.abort("stop", "carol");
            aborted.fail("stopped");

            SseClient.Frame first = sse.nextEvent();
            assertThat(first.event()).isEqualTo("finished");
            assertThat(first.taskId()).isEqualTo(failed.id().toString());
            assertThat(sse.nextEvent().event()).as("its last state is failed too").isEqualTo("unregistered");
            SseClient.Frame request = sse.nextEvent();
            assertThat(request.event()).isEqualTo("abort_requested");
            assertThat(request.taskId()).isEqualTo(aborted.id().toString());
            JsonNode end = sse.nextEvent().json();
            assertThat(end.get("state").asText()).isEqualTo("aborted");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "?module=|module",
            "?task=abc|task",
            "?types=created,nope|types",
            "?types=reset|types",
            "?types=|types",
            "?state=running,sleeping|state",
            "?last_event_id=-1|last_event_id",
            "?last_event_id=x|last_event_id",
            "?modul=files|modul",
            "?module=a&module=b|module"})
    void aBadParameterIsA400ProblemNamingIt(String query, String parameter) {
        JsonNode problem = Problem.assertProblem(s.client.get("/v2/events" + query), 400, "invalid-parameter",
                "'" + parameter + "'");
        assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
        assertThat(s.events().openedCount()).isZero();
    }

    @Test
    void aMalformedLastEventIdHeaderIsA400NamingTheHeader() {
        Problem.assertInvalid(s.client.send("GET", "/v2/events", null, "Last-Event-ID", "12a"), "Last-Event-ID", "12a");
    }

    @Test
    void otherMethodsAre405WithAllowGet() {
        ApiClient.Answer answer = s.client.post("/v2/events");
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.raw().headers().firstValue("Allow")).hasValue("GET");
    }
}
