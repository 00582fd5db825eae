package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The shared ring of events: bounded in number and in bytes, ids consecutive, evicted ids read as gone. */
class EventLogTest {
    private static Event event(long id, int bytes) {
        return new Event(id, EventType.CREATED, null, "m", Event.NO_ANCESTORS, 0, new byte[bytes]);
    }

    @Test
    void anEmptyLogResumesOnlyFromItsBase() {
        EventLog log = new EventLog(4, 1000, 100);
        assertThat(log.head()).isEqualTo(100);
        assertThat(log.oldest()).isEqualTo(101);
        assertThat(log.canResumeAfter(100)).isTrue();
        assertThat(log.canResumeAfter(99)).isFalse();
        assertThat(log.canResumeAfter(101)).isFalse();
        assertThat(log.get(100)).isNull();
    }

    @Test
    void itKeepsTheNewestEventsUpToItsCapacity() {
        EventLog log = new EventLog(4, 1000, 0);
        for (long id = 1; id <= 10; id++) {
            log.append(event(id, 10));
        }
        assertThat(log.head()).isEqualTo(10);
        assertThat(log.oldest()).isEqualTo(7);
        assertThat(log.get(6)).as("evicted").isNull();
        assertThat(log.get(7).id).isEqualTo(7);
        assertThat(log.get(10).id).isEqualTo(10);
        assertThat(log.get(11)).isNull();
        assertThat(log.canResumeAfter(6)).isTrue();
        assertThat(log.canResumeAfter(5)).isFalse();
        assertThat(log.bytes()).isEqualTo(40);
    }

    @Test
    void itKeepsNoMoreBytesThanItsBoundButAlwaysTheNewestEvent() {
        EventLog log = new EventLog(100, 100, 0);
        log.append(event(1, 40));
        log.append(event(2, 40));
        log.append(event(3, 40));
        assertThat(log.oldest()).isEqualTo(2);
        assertThat(log.get(1)).isNull();
        assertThat(log.bytes()).isEqualTo(80);
        log.append(event(4, 500));
        assertThat(log.oldest()).isEqualTo(4);
        assertThat(log.get(4).frame).hasSize(500);
        assertThat(log.bytes()).isEqualTo(500);
    }

    @Test
    void idsMustBeConsecutive() {
        EventLog log = new EventLog(4, 1000, 0);
        log.append(event(1, 1));
        assertThatThrownBy(() -> log.append(event(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event 3 appended after 1");
    }
}
