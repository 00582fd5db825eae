package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The v2 query parameters: strictness, durations and times. */
class QueryParamsTest {

    @Test
    void durationsTakeAUnitOrAreSeconds() {
        assertThat(QueryParams.parseDuration("t", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(QueryParams.parseDuration("t", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(QueryParams.parseDuration("t", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(QueryParams.parseDuration("t", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(QueryParams.parseDuration("t", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(QueryParams.parseDuration("t", "0")).isEqualTo(Duration.ZERO);
        assertThat(QueryParams.parseDuration("t", "0.000000001")).isEqualTo(Duration.ofNanos(1));
        assertThat(QueryParams.parseDuration("t", "2562047h")).isEqualTo(Duration.ofHours(2562047));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-1s", "+1s", "1.s", ".5s", "1e3", "1d", "1 s", "0x10", "1.0000000001s",
            "2562048h", "99999999999999999999999"})
    void aBadDurationIsRefusedNamingTheParameterAndValue(String value) {
        assertThatThrownBy(() -> QueryParams.parseDuration("timeout", value)).isInstanceOf(ApiException.class)
                .hasMessageContaining("for parameter 'timeout'").hasMessageContaining("'" + value + "'");
    }

    @Test
    void timesAreRfc3339WithAnOffset() {
        assertThat(QueryParams.parseTime("t", "2026-01-02T03:04:05Z")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(QueryParams.parseTime("t", "2026-01-02T05:04:05.5+02:00"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.500Z"));
        assertThatThrownBy(() -> QueryParams.parseTime("created_after", "2026-01-02T03:04:05"))
                .isInstanceOf(ApiException.class).hasMessageContaining("created_after");
        assertThatThrownBy(() -> QueryParams.parseTime("created_after", "2026-01-02T05:04:05 02:00"))
                .isInstanceOf(ApiException.class).hasMessageContaining("%2B");
    }

    @Test
    void unknownAndRepeatedParametersAreRefused() {
        QueryParams.parse("state=a&state=b&module=m").check(Set.of("state", "module"), Set.of("state"));
        assertThatThrownBy(() -> QueryParams.parse("stat=running").check(Set.of("state"), Set.of("state")))
                .isInstanceOf(ApiException.class).hasMessageContaining("unknown parameter 'stat'");
        assertThatThrownBy(() -> QueryParams.parse("module=a&module=b").check(Set.of("module"), Set.of()))
                .isInstanceOf(ApiException.class).hasMessageContaining("more than once ('a', then 'b')");
        assertThat(QueryParams.parse("label=a%3Ab&label=c:d").all("label")).containsExactly("a:b", "c:d");
        assertThatThrownBy(() -> QueryParams.parse("a=%zz")).isInstanceOf(ApiException.class)
                .hasMessageContaining("malformed query string");
    }
}
