package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The v2 time form: RFC 3339 in UTC with nine fraction digits, computed without the formatter. */
class TaskJsonTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void timesAreRfc3339InUtcWithNanoseconds() {
        assertThat(TaskJson.time(Instant.parse("2026-11-30T00:15:12.123456789Z"))).isEqualTo("2026-11-30T00:15:12.123456789Z");
        assertThat(TaskJson.time(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(TaskJson.time(Instant.parse("2000-02-29T23:59:59.999999999Z"))).isEqualTo("2000-02-29T23:59:59.999999999Z");
        assertThat(TaskJson.time(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31T23:59:59.500000000Z");
        assertThat(TaskJson.time(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000000000Z");
    }

    @Test
    void theArithmeticAgreesWithTheJdkFormatterOverTenThousandYears() {
        Random random = new Random(11);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
            assertThat(TaskJson.time(instant)).isEqualTo(REFERENCE.format(instant));
        }
        for (long day = -1000; day < 1000; day++) { // every day around the epoch, leap years included
            Instant instant = Instant.ofEpochSecond(day * 86_400 + 86_399, 1);
            assertThat(TaskJson.time(instant)).isEqualTo(REFERENCE.format(instant));
        }
    }
}
