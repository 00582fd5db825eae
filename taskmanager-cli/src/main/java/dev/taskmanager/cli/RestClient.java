package dev.taskmanager.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

/**
 * Sends the CLI's requests to one server and turns every way they can fail into a
 * {@link CliException} with exit code 4: a non-2xx answer ({@link RequestFailedException}, with
 * the server's {@code message}, and for a 401 what to do about the token), no connection (one line
 * naming {@code host:port}), a failed TLS handshake (what to try), or a body that is not the JSON
 * the command needs. Text from the server in a message goes through {@link TerminalText#escape}.
 *
 * <p>Compat requests follow SPEC §14.5: parameters travel in the query string, there is never a
 * body (a POST says {@code Content-Length: 0}). v2 requests may add a JSON body and headers
 * ({@link #post(String, Map, String, Map)}: an abort's reason and {@code X-Request-Id}), and
 * their errors are RFC 9457 problems, whose {@code detail} is printed where a compat error's
 * {@code message} is. Path segments and parameter values are percent-encoded but otherwise sent
 * exactly as typed; the CLI never validates ids. A body can be read as it arrives
 * ({@link #get(String, Map, BodyReader)}), so that an answer as large as a task tree need not be
 * held whole. HTTP/1.1 or
 * HTTPS ({@link Endpoint#tls()}, the handshake bounded by a {@link HandshakeWatchdog}), with
 * {@code Authorization: Bearer} when the endpoint has a token, no proxy, no redirects, a 5 s
 * connect timeout and by default no read timeout, so that {@code wait} without {@code --timeout}
 * can wait as long as the task runs ({@link FilesCli}, whose requests are answered at once, sets
 * one).
 *
 * <p><b>Why {@link HttpURLConnection} and not {@code java.net.http.HttpClient}.</b> Measured on
 * JDK 17, one {@code tasks modules} took about 0.75 s of wall time with {@code HttpClient} and
 * 0.12 s with this class. Two costs, both paid once per process, which for a command line is
 * every time: building an {@code HttpClient} initialises its SSL context and loads about twice as
 * many classes (~250 ms); and its selector thread sits in a native {@code epoll_wait} that JDK 17
 * cannot stop ({@code HttpClient.close()} arrived in 21), and at exit the VM waits up to 300 ms
 * for threads in native code to block. The CLI sends a handful of plain HTTP/1.1 requests, one at
 * a time, which is exactly what this class does well. Streaming mode is used for POSTs so that a
 * failed POST is never silently re-sent.
 *
 * <p>Used by one thread at a time.
 */
final class RestClient {

    private static final int CONNECT_TIMEOUT_MILLIS = (int) Duration.ofSeconds(5).toMillis();

    /** How long a TLS handshake may take once connected ({@link HandshakeWatchdog}). */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final Endpoint endpoint;
    private final int readTimeoutMillis;
    /** The TLS socket factory, bounding handshakes; {@code null} for plain HTTP. */
    private final HandshakeWatchdog tls;

    /** A plain HTTP client without token and without read timeout. */
    RestClient(String host, int port) {
        this(Endpoint.plain(host, port), Duration.ZERO);
    }

    /** A plain HTTP client without token; see {@link #RestClient(Endpoint, Duration)}. */
    RestClient(String host, int port, Duration readTimeout) {
        this(Endpoint.plain(host, port), readTimeout);
    }

    /**
     * A client that gives up on an answer after {@code readTimeout} without data (a failed
     * request, exit 4); {@link Duration#ZERO} waits forever.
     */
    RestClient(Endpoint endpoint, Duration readTimeout) {
        this(endpoint, readTimeout, HANDSHAKE_TIMEOUT);
    }

    /** With another bound on the TLS handshake, for tests. */
    RestClient(Endpoint endpoint, Duration readTimeout, Duration handshakeTimeout) {
        this.endpoint = endpoint;
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
        this.tls = endpoint.tls() == null
                ? null : new HandshakeWatchdog(endpoint.tls(), handshakeTimeout);
    }

    /**
     * A client to the same server, with the same token, TLS and timeouts, for another thread
     * (a client is used by one thread at a time: its handshake watch is per client).
     */
    RestClient forAnotherThread() {
        return new RestClient(endpoint, Duration.ofMillis(readTimeoutMillis),
                tls == null ? HANDSHAKE_TIMEOUT : tls.bound());
    }

    /** How many TLS handshakes this client made (0 for plain HTTP): one per new connection. */
    int handshakes() {
        return tls == null ? 0 : tls.handshakes();
    }

    /** {@code /task_manager/<segment>/<segment>...}, each segment percent-encoded. */
    static String path(String... segments) {
        StringBuilder sb = new StringBuilder("/task_manager");
        for (String segment : segments) {
            sb.append('/').append(encode(segment));
        }
        return sb.toString();
    }

    /**
     * Reads a whole body. A class, not a method reference: each lambda costs class spinning at
     * start-up, and every command reads bodies.
     */
    private static final class AllBytes implements BodyReader<byte[]> {
        static final AllBytes INSTANCE = new AllBytes();

        @Override
        public byte[] read(InputStream body) throws IOException {
            return readAll(body);
        }
    }

    /** Reads an answer's body as it arrives, e.g. with {@link JsonReader#read}. */
    @FunctionalInterface
    interface BodyReader<T> {
        /**
         * @throws IOException              if the body cannot be read
         * @throws IllegalArgumentException if it is not what the caller needs; the message says
         *                                  what was wrong
         */
        T read(InputStream body) throws IOException;
    }

    /** {@code /v2/tasks/<id>} followed by {@code suffix} ({@code ":abort"}), the id percent-encoded. */
    static String v2Task(String id, String suffix) {
        return "/v2/tasks/" + encode(id) + suffix;
    }

    /** GET returning the parsed body. */
    Json get(String path, Map<String, String> params) {
        return get(path, entries(params));
    }

    /**
     * GET returning the parsed body, with query parameters that may repeat
     * ({@code state=running&state=failed}), sent in order.
     */
    Json get(String path, List<Map.Entry<String, String>> params) {
        return parse("GET", path, exchange("GET", path, params, null, Map.of(),
                AllBytes.INSTANCE));
    }

    /**
     * GET whose successful body {@code reader} reads from the connection as it arrives. A body the
     * reader refuses is a failed request (exit 4) quoting the reader's reason.
     */
    <T> T get(String path, Map<String, String> params, BodyReader<T> reader) {
        return exchange("GET", path, entries(params), null, Map.of(), body -> {
            try {
                return reader.read(body);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.REQUEST_FAILED, "error: GET " + path
                        + " returned a body that is not what was expected ("
                        + TerminalText.escape(e.getMessage()) + ")");
            }
        });
    }

    /** GET of something that must be a JSON array (a list of modules, tasks or statuses). */
    Json.Arr getArray(String path, Map<String, String> params) {
        Json value = get(path, params);
        if (value instanceof Json.Arr array) {
            return array;
        }
        throw unexpected("GET", path, value.toJsonText(), "an array");
    }

    /** GET of something that must be a JSON object (a status). */
    Json.Obj getObject(String path, Map<String, String> params) {
        Json value = get(path, params);
        if (value instanceof Json.Obj object) {
            return object;
        }
        throw unexpected("GET", path, value.toJsonText(), "an object");
    }

    /**
     * POST without a body. Whatever the server answers on success is returned when it is JSON,
     * and is otherwise {@code null} (an empty answer, or one that nobody needs to read).
     */
    Json post(String path, Map<String, String> params) {
        String text = new String(send("POST", path, params), StandardCharsets.UTF_8);
        try {
            return text.isBlank() ? null : JsonReader.parse(text);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /**
     * POST of a JSON body ({@code Content-Type: application/json}) with extra request headers.
     * Returns what the server answered when it is JSON, else {@code null}, like
     * {@link #post(String, Map)}.
     *
     * @param json    the body, JSON text
     * @param headers header names and values, sent as given (the caller keeps them printable
     *                ASCII)
     */
    Json post(String path, Map<String, String> params, String json, Map<String, String> headers) {
        byte[] body = exchange("POST", path, entries(params), json.getBytes(StandardCharsets.UTF_8),
                headers, AllBytes.INSTANCE);
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return text.isBlank() ? null : JsonReader.parse(text);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /**
     * POST without a body whose answer must be one JSON string (the files routes answer the id of
     * the task they started), returned unescaped. Anything else, JSON or not, fails quoting the
     * body as it was sent.
     */
    String postForString(String path, Map<String, String> params) {
        String text = new String(send("POST", path, params), StandardCharsets.UTF_8);
        Json value;
        try {
            value = JsonReader.parse(text);
        } catch (IllegalArgumentException notJson) {
            value = null;
        }
        if (value instanceof Json.Str string) {
            return string.value();
        }
        throw unexpected("POST", path, text, "a JSON string");
    }

    private static Json parse(String method, String path, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.REQUEST_FAILED, "error: " + method + " " + path
                    + " returned a body that is not JSON (" + e.getMessage() + "): "
                    + abbreviate(text));
        }
    }

    private byte[] send(String method, String path, Map<String, String> params) {
        return exchange(method, path, entries(params), null, Map.of(), AllBytes.INSTANCE);
    }

    /** A map's entries in its order. */
    private static List<Map.Entry<String, String>> entries(Map<String, String> params) {
        return List.copyOf(params.entrySet());
    }

    /**
     * Sends one request ({@code body} {@code null} for none; a POST without one says
     * {@code Content-Length: 0}) and hands a 2xx answer's body to {@code reader}; everything else
     * is a {@link CliException}.
     */
    private <T> T exchange(String method, String path, List<Map.Entry<String, String>> params,
            byte[] body,
            Map<String, String> headers, BodyReader<T> reader) {
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            URI uri = URI.create((tls == null ? "http://" : "https://")
                    + endpoint.authority() + path + query(params));
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            if (endpoint.token() != null) {
                connection.setRequestProperty("Authorization", endpoint.token().header());
            }
            for (Map.Entry<String, String> header : headers.entrySet()) {
                connection.setRequestProperty(header.getKey(), header.getValue());
            }
            if (body != null) {
                connection.setRequestProperty("Content-Type", "application/json");
            }
            if (method.equals("POST")) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body == null ? 0 : body.length);
            }
            connect(connection);
            connected = true;
            if (method.equals("POST")) {
                try (var out = connection.getOutputStream()) {
                    if (body != null) {
                        out.write(body);
                    }
                }
            }
            int status = connection.getResponseCode();
            if (status < 200 || status > 299) {
                String error = new String(readAll(connection.getErrorStream()),
                        StandardCharsets.UTF_8);
                throw new RequestFailedException(method, path, params, status,
                        serverMessage(error), errorBody(error),
                        status == 401 ? unauthorizedHint() : null);
            }
            try (InputStream in = connection.getInputStream()) {
                return reader.read(in);
            }
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw cannotConnect(e);
        } catch (SSLException e) {
            throw tlsFailed(reason(e), false);
        } catch (SocketTimeoutException e) {
            if (!connected) {
                throw cannotConnect(e);
            }
            throw failed(method, path, e);
        } catch (IOException e) {
            throw failed(method, path, e);
        } finally {
            if (connection != null && !connected) {
                connection.disconnect();
            }
        }
    }

    /** Connects, reporting a TLS handshake cut by the watchdog as such. */
    private void connect(HttpURLConnection connection) throws IOException {
        try {
            connection.connect();
        } catch (IOException e) {
            if (tls != null && tls.finish()) {
                throw noHandshake();
            }
            throw e;
        } finally {
            if (tls != null) {
                tls.finish();
            }
        }
    }

    private String unauthorizedHint() {
        return endpoint.token() == null
                ? "the server requires a token: set TASKMANAGER_TOKEN or --token-file"
                : "the server refused the token from " + endpoint.token().source()
                        + ": set TASKMANAGER_TOKEN or --token-file to the server's token";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private CliException cannotConnect(IOException e) {
        String reason = e instanceof UnknownHostException ? "unknown host" : reason(e);
        return new CliException(CliException.REQUEST_FAILED,
                "error: cannot connect to " + endpoint.authority() + ": " + reason);
    }

    private CliException noHandshake() {
        Duration bound = tls.bound();
        return tlsFailed("no TLS handshake within " + (bound.toMillis() % 1000 == 0
                ? bound.toSeconds() + " s" : bound.toMillis() + " ms"), true);
    }

    private CliException tlsFailed(String reason, boolean noAnswer) {
        String hint = noAnswer || reason.contains("plaintext")
                || reason.contains("Unsupported or unrecognized")
                ? "does the server serve plain HTTP? then leave out --tls"
                : "if the server's certificate is self-signed or from your own CA, trust it with "
                        + "--cacert FILE; it must name the host given with -h";
        return new CliException(CliException.REQUEST_FAILED, "error: TLS connection to "
                + endpoint.authority() + " failed: " + TerminalText.escape(reason) + "\n" + hint);
    }

    private CliException failed(String method, String path, IOException e) {
        String reason = reason(e);
        String hint = endpoint.tls() == null && (reason.contains("Unexpected end of file")
                || reason.contains("Invalid Http response"))
                ? " (if the server uses TLS, add --tls)" : "";
        return new CliException(CliException.REQUEST_FAILED, "error executing " + method
                + " request to " + path + " on " + endpoint.authority() + ": "
                + TerminalText.escape(reason) + hint);
    }

    /**
     * The {@code message} of a compat error body (SPEC §12.5), or the {@code detail} of a v2
     * problem (RFC 9457), or the whole body if it has neither.
     */
    private static String serverMessage(String text) {
        if (errorBody(text) instanceof Json.Obj error) {
            Json message = error.get("message") != null ? error.get("message") : error.get("detail");
            if (message != null) {
                return Cells.text(message);
            }
        }
        return text;
    }

    /** An error body parsed, or {@code null} when it is not JSON. */
    private static Json errorBody(String text) {
        try {
            return text.isBlank() ? null : JsonReader.parse(text);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    private static String query(List<Map.Entry<String, String>> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        for (Map.Entry<String, String> p : params) {
            query.add(encode(p.getKey()) + "=" + encode(p.getValue()));
        }
        return query.toString();
    }

    /**
     * Percent-encodes everything but RFC 3986's unreserved characters, so that any id or value
     * reaches the server byte for byte (spaces as {@code %20}, never {@code +}).
     */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The host as it goes into a URL: IPv6 literals get their brackets. */
    static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The most specific message in the cause chain (the JDK often wraps the useful one). */
    static String reason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    /** A failed request: the answer was 2xx but not what the command needs. */
    static CliException unexpected(String method, String path, String body,
            String expected) {
        return new CliException(CliException.REQUEST_FAILED, "error: " + method + " " + path
                + " returned " + abbreviate(body) + " where " + expected + " was expected");
    }

    /** The first 200 characters of {@code text}, escaped for printing. */
    private static String abbreviate(String text) {
        return TerminalText.escape(text.length() <= 200 ? text : text.substring(0, 200) + "...");
    }
}
