package dev.taskmanager.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * One bodiless {@code POST} to a task manager server that answers a JSON string (the files routes
 * answer the id of the task they started), with the failures reported the way the {@code tasks} CLI
 * reports them, so that {@code files} and {@code tasks} read alike:
 * <ul>
 *   <li>a non-2xx answer: {@code error executing POST request to /files/manifest with parameters
 *       {"path": "/x"}: remote replied with status code 400:} and the server's {@code message} on the
 *       next line;</li>
 *   <li>no connection: {@code error: cannot connect to localhost:10000: Connection refused}.</li>
 * </ul>
 *
 * <p>Like the CLI it uses {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}, for
 * start-up time (see the CLI's {@code RestClient}): no proxy, no redirects, a 5 s connect timeout,
 * parameters percent-encoded in the query string, {@code Content-Length: 0}. Stateless and thread-safe.
 */
final class ApiCall {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    private static final JsonFactory JSON = new JsonFactory();

    private ApiCall() {
    }

    /** A request that failed; its message is what to print on stderr. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Failure(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        /** The HTTP status, or 0 if there was no answer. */
        int status() {
            return status;
        }
    }

    /**
     * Sends {@code POST http://host:port/path?params} and returns the JSON string it answers.
     *
     * @throws Failure if the server cannot be reached, answers non-2xx, or answers something other
     *                 than a JSON string
     */
    static String postForString(String host, int port, String path, Map<String, String> params) throws Failure {
        String authority = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            URI uri = URI.create("http://" + authority + path + query(params));
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.connect();
            connected = true;
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            if (status < 200 || status > 299) {
                throw new Failure("error executing POST request to " + path + " with parameters " + render(params)
                        + ": remote replied with status code " + status + ":\n"
                        + message(readAll(connection.getErrorStream())), status);
            }
            String body = readAll(connection.getInputStream());
            String value = jsonString(body);
            if (value == null) {
                throw new Failure("error: POST " + path + " returned " + abbreviate(body)
                        + " where a JSON string was expected", status);
            }
            return value;
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw new Failure("error: cannot connect to " + authority + ": "
                    + (e instanceof UnknownHostException ? "unknown host" : reason(e)), 0);
        } catch (SocketTimeoutException e) {
            throw new Failure(connected ? "error executing POST request to " + path + " on " + authority + ": "
                    + reason(e) : "error: cannot connect to " + authority + ": " + reason(e), 0);
        } catch (IOException e) {
            throw new Failure("error executing POST request to " + path + " on " + authority + ": " + reason(e), 0);
        } finally {
            if (connection != null && !connected) {
                connection.disconnect();
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The body if it is exactly one JSON string, else {@code null}. */
    private static String jsonString(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String value = parser.getText();
            return parser.nextToken() == null ? value : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code message} of an error body ({@code {"message": ..., "code": ...}}), or the whole body. */
    private static String message(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("message") && value == JsonToken.VALUE_STRING) {
                        return parser.getText();
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException notJson) {
            // print what the server sent
        }
        return body;
    }

    private static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        return query.toString();
    }

    /** Percent-encodes all but RFC 3986's unreserved characters (spaces as {@code %20}). */
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

    /** Parameters as the CLI prints them: {@code {"k": "v"}}. */
    private static String render(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String reason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
