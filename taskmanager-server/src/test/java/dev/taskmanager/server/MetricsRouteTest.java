package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How GET /metrics picks its format from the Accept header. */
class MetricsRouteTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "NONE | text",
            "*/* | text",
            "text/plain | text",
            "text/plain;version=0.0.4;q=0.3,*/*;q=0.2 | text",
            "application/openmetrics-text | openmetrics",
            "Application/OpenMetrics-Text; version=1.0.0 | openmetrics",
            "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                    + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1 | openmetrics",
            "application/openmetrics-text;q=0 | text",
            "application/openmetrics-text; q = 0.0 , text/plain | text",
            "application/openmetrics-text;q=x | text",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited | text",
    })
    void theFormatFollowsTheAcceptHeader(String accept, String format) {
        assertThat(MetricsRoute.contentType(accept))
                .isEqualTo(format.equals("text") ? MetricsRoute.TEXT_0_0_4 : MetricsRoute.OPENMETRICS_1_0_0);
    }
}
