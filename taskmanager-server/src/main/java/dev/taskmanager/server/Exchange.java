package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One request in flight: the Jetty request, response and completion callback, plus the parsed path
 * and query parameters. Every answer goes through here, so that every response is completed exactly
 * once, asynchronously, through the callback.
 *
 * <p>Used by one thread at a time (the one handling the request, or the one completing a wait).
 */
final class Exchange implements ExtensionRequest {
    static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    final Request request;
    final Response response;
    final Callback callback;
    private final String path;
    private final Map<String, String> pathParams;
    private final ApiContext context;
    private Params params;

    Exchange(Request request, Response response, Callback callback, String path, Map<String, String> pathParams,
             ApiContext context) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.pathParams = pathParams;
        this.context = context;
    }

    ApiContext context() {
        return context;
    }

    /** The query parameters, parsed on first use (a malformed query is a 400 only where it is read). */
    Params params() {
        if (params == null) {
            params = Params.parse(request.getHttpURI().getQuery());
        }
        return params;
    }

    /** The task id in the path, strictly parsed. */
    UUID taskIdParam() {
        return Params.parseUuid("task_id", pathParam("task_id"));
    }

    // ---------------------------------------------------------------- answers

    /** 200 with a small JSON body rendered in memory. */
    void sendJson(Json.Writer writer) {
        send(200, Json.render(writer));
    }

    /** 200 with an empty body, as the compat API's actions answer. */
    void sendEmpty() {
        response.setStatus(200);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    /** The error body of SPEC §12.5 with the error's status. */
    void sendError(int status, String message) {
        send(status, Json.error(status, message));
    }

    void send(int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * 200 with a JSON body streamed as it is generated: the generator writes through Jetty's buffered
     * output stream, which sends a chunk each time its buffer fills, so memory stays flat however
     * long the body. Blocking: call only from a route marked blocking.
     */
    void streamJson(Json.Writer writer) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(JSON);
        try (OutputStream out = Response.asBufferedOutputStream(request, response);
             JsonGenerator generator = Json.generator(out)) {
            writer.write(generator);
        }
        callback.succeeded();
    }

    // ---------------------------------------------------------------- ExtensionRequest

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no path parameter {" + name + "}");
        }
        return value;
    }

    @Override
    public Optional<String> query(String name) {
        return params().get(name);
    }

    @Override
    public String requiredQuery(String name) {
        return params().require(name);
    }

    @Override
    public boolean booleanQuery(String name, boolean defaultValue) {
        return params().bool(name).orElse(defaultValue);
    }

    @Override
    public OptionalLong longQuery(String name, long min, long max) {
        return params().wholeNumber(name, min, max);
    }

    @Override
    public Optional<UUID> uuidQuery(String name) {
        return params().uuid(name);
    }

    @Override
    public TaskManager taskManager() {
        return context.taskManager();
    }
}
