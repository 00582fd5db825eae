package dev.taskmanager.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A scripted HTTP server on 127.0.0.1, port 0 (or HTTPS, {@link #startTls}): answers each
 * {@code METHOD path} with the responses given to {@link #on} (in order, the last one repeating;
 * unscripted requests get 404) and records every request. Requests are recorded before they are
 * answered, so once the CLI has returned every request it sent is in {@link #requests()}: no
 * waiting needed (except for the one {@code watch} sends from a thread of its own,
 * {@code :wait}, which may still be on its way).
 */
final class FakeServer implements AutoCloseable {

    /**
     * One request as received: raw (still percent-encoded) path and query, body as text, the
     * {@code Authorization} header ({@code null} when none was sent), and every header by its
     * lower-case name (the first value of each).
     */
    record Request(String method, String path, String query, String body, String authorization,
            Map<String, String> headers) {

        Request {
            headers = Map.copyOf(headers);
        }

        /** {@code METHOD path[?query]}, the form most assertions compare. */
        String line() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }

        /** The first value of header {@code name} (any case), or {@code null}. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private record Response(int status, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Response>> script = new ConcurrentHashMap<>();
    private volatile Consumer<Request> onArrival = request -> { };

    private FakeServer(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeServer start() {
        return start(null);
    }

    /** An HTTPS server presenting the key and certificate of {@code tls}. */
    static FakeServer startTls(SSLContext tls) {
        return start(tls);
    }

    private static FakeServer start(SSLContext tls) {
        try {
            return new FakeServer(tls);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scripts the next response to {@code method path} (the raw, percent-encoded path). */
    FakeServer on(String method, String path, int status, String body) {
        script.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
                .add(new Response(status, body));
        return this;
    }

    FakeServer get(String path, String body) {
        return on("GET", path, 200, body);
    }

    /**
     * Calls {@code listener} with each request as it arrives, before it is answered, on the
     * server's thread: to see what the CLI had printed by then.
     */
    FakeServer onArrival(Consumer<Request> listener) {
        this.onArrival = listener;
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code -h 127.0.0.1 -p <port>}, to append to a command line. */
    String[] address() {
        return new String[] {"-h", "127.0.0.1", "-p", Integer.toString(port())};
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** {@link Request#line()} of every request, in order. */
    List<String> requestLines() {
        return requests().stream().map(Request::line).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(
                    name.toLowerCase(Locale.ROOT), values.get(0)));
            Request request = new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), body,
                    exchange.getRequestHeaders().getFirst("Authorization"), headers);
            synchronized (this) {
                requests.add(request);
            }
            onArrival.accept(request);
            Response response = next(exchange.getRequestMethod() + " " + path);
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Response next(String key) {
        Deque<Response> responses = script.get(key);
        if (responses == null || responses.isEmpty()) {
            return new Response(404, "{\"message\": \"Not found\", \"code\": 404}");
        }
        synchronized (responses) {
            return responses.size() > 1 ? responses.poll() : responses.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
