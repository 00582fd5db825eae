package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @ParameterizedTest
    @CsvSource({"0,0", "4,4", "2.5,2.5", "-0.0,0", "1e15,1000000000000000", "0.1,0.1", "1e-7,1.0E-7",
            "9007199254740992,9.007199254740992E15", "123456789.5,1.234567895E8"})
    void numbersPrintInShortestForm(double value, String expected) {
        assertThat(render(value)).isEqualTo(expected);
    }

    @Test
    void nonFiniteNumbersNeverReachTheWire() {
        assertThat(render(Double.NaN)).isEqualTo("0");
        assertThat(render(Double.POSITIVE_INFINITY)).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource({"2025-01-16T16:12:11Z,2025-01-16T16:12:11Z", "2025-01-16T16:12:11.999999999Z,2025-01-16T16:12:11Z",
            "1970-01-01T00:00:00Z,1970-01-01T00:00:00Z", "0001-02-03T04:05:06Z,0001-02-03T04:05:06Z",
            "1969-12-31T23:59:59.5Z,1969-12-31T23:59:59Z"})
    void timesAreUtcWholeSeconds(String instant, String expected) {
        assertThat(Json.time(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void anUnsetTimeIsTheEpoch() {
        assertThat(Json.time(null)).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void errorBodiesEscapeTheirMessage() {
        assertThat(new String(Json.error(400, "bad \"x\"\n"), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"bad \\\"x\\\"\\n\",\"code\":400}");
    }

    private static String render(double value) {
        return new String(Json.render(g -> Json.writeNumber(g, value)), StandardCharsets.UTF_8);
    }
}
