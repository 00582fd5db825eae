package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskmanager.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the event stream, in the {@code text/event-stream} format of the HTML standard: an
 * event is {@code id: <n>}, {@code event: <type>}, {@code data: <one line of JSON>} and a blank line;
 * a heartbeat is the comment {@code : heartbeat}; the stream opens with {@code retry: 3000}. The JSON
 * is jackson's compact output, in which every line break inside a string is escaped, so {@code data}
 * is always one line.
 *
 * <p>An instance renders task events into a buffer it reuses: one thread at a time (the dispatcher).
 */
final class EventFrames {
    /** The reconnection delay the stream asks of clients, in milliseconds. */
    static final int RETRY_MILLIS = 3000;
    /** What every stream starts with. */
    static final byte[] RETRY = ascii("retry: " + RETRY_MILLIS + "\n\n");
    /** A comment that keeps proxies and idle timeouts from closing a quiet stream. */
    static final byte[] HEARTBEAT = ascii(": heartbeat\n\n");

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** The frame of a task event: {@code data} is the task as {@link TaskJson} writes it. */
    byte[] task(long id, EventType type, TaskStatus status, String node) {
        buffer.reset();
        head(buffer, id, type);
        try (JsonGenerator g = Json.generator(buffer)) {
            TaskJson.write(g, status, node, TaskJson.LIVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render an event to memory", e);
        }
        buffer.writeBytes(END);
        return buffer.toByteArray();
    }

    /** The frame of a {@code reset}: {@code data} is {@code {"reason": "..."}}. */
    static byte[] reset(long id, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        head(out, id, EventType.RESET);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render an event to memory", e);
        }
        out.writeBytes(END);
        return out.toByteArray();
    }

    private static final byte[] ID = ascii("id: ");
    private static final byte[] EVENT = ascii("\nevent: ");
    private static final byte[] DATA = ascii("\ndata: ");
    private static final byte[] END = ascii("\n\n");

    private static void head(ByteArrayOutputStream out, long id, EventType type) {
        out.writeBytes(ID);
        out.writeBytes(ascii(Long.toString(id)));
        out.writeBytes(EVENT);
        out.writeBytes(ascii(type.wireName));
        out.writeBytes(DATA);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
