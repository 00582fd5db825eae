package dev.taskmanager.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code taskmanager serve} as a separate process on this test's class path, on a free port, with a
 * tiny HTTP client and JSON reader for its answers. Close kills it if it is still running.
 */
final class ServerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    final Process process;
    final List<String> output = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String uri;

    private ServerProcess(Process process, Path errors) throws Exception {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output failed: " + e + ")");
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        String found = null;
        while (found == null) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                process.destroyForcibly();
                throw new AssertionError("the server did not start: " + output + "\n" + Files.readString(errors));
            }
            output.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                found = m.group(1);
            }
        }
        this.uri = found;
    }

    /** Starts {@code serve} with these flags (and {@code --api-port 0}); returns once it listens. */
    static ServerProcess start(Path errors, String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--api-port", "0"));
        all.addAll(List.of(flags));
        return startExactly(errors, all);
    }

    /** Starts {@code serve} with exactly these flags (the caller gives {@code --api-port}); returns once it listens. */
    static ServerProcess startExactly(Path errors, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
        command.addAll(flags);
        return new ServerProcess(new ProcessBuilder(command).redirectError(errors.toFile()).start(), errors);
    }

    /** Where it listens. */
    URI uri() {
        return URI.create(uri);
    }

    /** The lines printed so far, those printed before it listened included. */
    List<String> output() {
        for (String line; (line = lines.poll()) != null; ) {
            output.add(line);
        }
        return output;
    }

    HttpResponse<String> send(String method, String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(uri + pathAndQuery))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request that must answer 200; returns the body. */
    String ok(String method, String pathAndQuery) {
        HttpResponse<String> answer = send(method, pathAndQuery);
        if (answer.statusCode() != 200) {
            throw new AssertionError(method + " " + pathAndQuery + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux), and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not die");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: a graceful stop
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A JSON value: maps, lists, strings, numbers (as double), booleans, null. */
    static Object json(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            return value(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            default:
                return null;
        }
    }
}
