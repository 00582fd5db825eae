package dev.taskmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Parses a scrape with Prometheus's own parser: the official Python client's
 * ({@code prometheus_client.parser} for the text format, {@code prometheus_client.openmetrics.parser}
 * for OpenMetrics), from Debian's {@code python3-prometheus-client}, run by {@code /usr/bin/python3}
 * through {@code src/test/prometheus-parser/parse.py}. A scrape it refuses fails the test with the
 * parser's message. {@code .ci/run} installs the package when it is missing.
 */
final class PrometheusParser {
    private static final String PYTHON = System.getProperty("prometheus.python", "/usr/bin/python3");

    private PrometheusParser() {
    }

    /**
     * One sample as the parser gave it.
     *
     * @param family the family's name (for a counter, without {@code _total})
     * @param type   {@code counter}, {@code gauge}, {@code histogram}, ...
     * @param name   the sample's own name, e.g. {@code x_seconds_bucket}, {@code x_total}
     * @param labels its labels, {@code le} included
     * @param value  its value
     */
    record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    /** Every sample of a text-format (0.0.4) scrape. */
    static List<Sample> parseText(String scrape) throws IOException, InterruptedException {
        return parse(scrape, "text");
    }

    /** Every sample of an OpenMetrics 1.0 scrape, parsed by the strict OpenMetrics parser. */
    static List<Sample> parseOpenMetrics(String scrape) throws IOException, InterruptedException {
        return parse(scrape, "openmetrics");
    }

    private static List<Sample> parse(String scrape, String format) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("prometheus.parser", "src/test/prometheus-parser/parse.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing");
        }
        Process python = new ProcessBuilder(PYTHON, script.toString(), format).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(python, false));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(python, true));
        try (OutputStream in = python.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        if (!python.waitFor(60, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("the parser did not finish within 60 s");
        }
        String errors = new String(err.join(), StandardCharsets.UTF_8);
        if (python.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the scrape (or is not installed: "
                    + "apt-get install python3-prometheus-client): " + errors);
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode sample : ApiClient.MAPPER.readTree(out.join())) {
            Map<String, String> labels = new LinkedHashMap<>();
            sample.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(sample.get("family").asText(), sample.get("type").asText(),
                    sample.get("name").asText(), labels, number(sample.get("value").asText())));
        }
        return samples;
    }

    private static double number(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    private static byte[] readAll(Process process, boolean errors) {
        try {
            return (errors ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
