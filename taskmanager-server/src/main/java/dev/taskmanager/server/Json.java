package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * Renders the compat API's JSON (SPEC §12.2–12.5) with Jackson's streaming generator: the exact keys
 * in the exact order, times as {@code YYYY-MM-DDTHH:MM:SSZ} in UTC whole seconds (an unset time as
 * the epoch), {@code parent_id} {@code "none"} for a root, and numbers in shortest form ({@code 4},
 * not {@code 4.0}). Stateless and thread-safe.
 */
final class Json {
    /** Shared: a {@link JsonFactory} is thread-safe and recycles its buffers. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    static final String UNSET_TIME = "1970-01-01T00:00:00Z";

    /** Whole doubles below this magnitude print as integers; 2^53, past which doubles skip integers. */
    private static final double EXACT_INTEGER_LIMIT = 9_007_199_254_740_992d;

    private Json() {
    }

    /** Something that writes one JSON value. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    /** Renders one value into a byte array; for the small bodies every endpoint but the lists sends. */
    static byte[] render(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render JSON to memory", e);
        }
        return out.toByteArray();
    }

    /** A generator writing UTF-8 to {@code out}; closing it flushes but does not close {@code out}. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out, JsonEncoding.UTF8);
    }

    /** The error body of SPEC §12.5: {@code {"message": ..., "code": ...}}. */
    static byte[] error(int status, String message) {
        return render(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeNumberField("code", status);
            g.writeEndObject();
        });
    }

    // Keys are pre-encoded once: the generator copies their quoted UTF-8 bytes instead of encoding
    // and escaping the same names on every request.
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString TASK_ID = new SerializedString("task_id");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString SCOPE = new SerializedString("scope");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString IS_ABORTABLE = new SerializedString("is_abortable");
    private static final SerializedString START_TIME = new SerializedString("start_time");
    private static final SerializedString END_TIME = new SerializedString("end_time");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString PARENT_ID = new SerializedString("parent_id");
    private static final SerializedString SEQUENCE_NUMBER = new SerializedString("sequence_number");
    private static final SerializedString SHARD = new SerializedString("shard");
    private static final SerializedString KEYSPACE = new SerializedString("keyspace");
    private static final SerializedString TABLE = new SerializedString("table");
    private static final SerializedString ENTITY = new SerializedString("entity");
    private static final SerializedString PROGRESS_UNITS = new SerializedString("progress_units");
    private static final SerializedString PROGRESS_TOTAL = new SerializedString("progress_total");
    private static final SerializedString PROGRESS_COMPLETED = new SerializedString("progress_completed");
    private static final SerializedString CHILDREN_IDS = new SerializedString("children_ids");
    private static final SerializedString NODE = new SerializedString("node");
    private static final byte[] NONE = ascii("none");
    private static final byte[] UNSET_TIME_BYTES = ascii(UNSET_TIME);
    private static final byte[] HEX = ascii("0123456789abcdef");
    private static final byte[][] STATE_NAMES = wireNames(TaskState.values());
    private static final byte[][] KIND_NAMES = wireNames(TaskKind.values());

    private static byte[][] wireNames(Enum<?>[] values) {
        byte[][] names = new byte[values.length][];
        for (Enum<?> value : values) {
            names[value.ordinal()] = ascii(value instanceof TaskState ? ((TaskState) value).wireName()
                    : ((TaskKind) value).wireName());
        }
        return names;
    }

    /** A {@code task_status} object (SPEC §12.3); children are reported on {@code node}. */
    static void writeStatus(JsonGenerator g, TaskStatus s, String node) throws IOException {
        writeStatus(g, s, node, null);
    }

    /**
     * A {@code task_status} whose children may live on other nodes (a cluster task's, SPEC §11):
     * {@code childNode} names each child's node, or returns {@code null} for {@code node}; a null
     * {@code childNode} gives every child {@code node}.
     */
    static void writeStatus(JsonGenerator g, TaskStatus s, String node, java.util.function.Function<UUID, String> childNode)
            throws IOException {
        g.writeStartObject();
        g.writeFieldName(ID);
        writeUuid(g, s.id());
        g.writeFieldName(TYPE);
        g.writeString(s.type());
        g.writeFieldName(KIND);
        writeKind(g, s.kind());
        g.writeFieldName(SCOPE);
        g.writeString(s.scope());
        g.writeFieldName(STATE);
        writeState(g, s.state());
        g.writeFieldName(IS_ABORTABLE);
        g.writeBoolean(s.abortable());
        g.writeFieldName(START_TIME);
        writeTime(g, s.startTime());
        g.writeFieldName(END_TIME);
        writeTime(g, s.endTime());
        g.writeFieldName(ERROR);
        g.writeString(s.error());
        g.writeFieldName(PARENT_ID);
        if (s.parentId() == null) {
            g.writeRawUTF8String(NONE, 0, NONE.length);
        } else {
            writeUuid(g, s.parentId());
        }
        g.writeFieldName(SEQUENCE_NUMBER);
        g.writeNumber(s.sequenceNumber());
        g.writeFieldName(SHARD);
        g.writeNumber(s.shard());
        g.writeFieldName(KEYSPACE);
        g.writeString(s.keyspace());
        g.writeFieldName(TABLE);
        g.writeString(s.table());
        g.writeFieldName(ENTITY);
        g.writeString(s.entity());
        g.writeFieldName(PROGRESS_UNITS);
        g.writeString(s.progressUnits());
        g.writeFieldName(PROGRESS_TOTAL);
        writeNumber(g, s.progress().total());
        g.writeFieldName(PROGRESS_COMPLETED);
        writeNumber(g, s.progress().completed());
        g.writeFieldName(CHILDREN_IDS);
        g.writeStartArray();
        for (UUID child : s.children()) {
            g.writeStartObject();
            g.writeFieldName(TASK_ID);
            writeUuid(g, child);
            g.writeFieldName(NODE);
            String elsewhere = childNode == null ? null : childNode.apply(child);
            g.writeString(elsewhere != null ? elsewhere : node);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A {@code task_stats} object (SPEC §12.2), as {@code list_module_tasks} lists them. */
    static void writeStats(JsonGenerator g, TaskStats s) throws IOException {
        g.writeStartObject();
        g.writeFieldName(TASK_ID);
        writeUuid(g, s.id());
        g.writeFieldName(STATE);
        writeState(g, s.state());
        g.writeFieldName(TYPE);
        g.writeString(s.type());
        g.writeFieldName(KIND);
        writeKind(g, s.kind());
        g.writeFieldName(SCOPE);
        g.writeString(s.scope());
        g.writeFieldName(KEYSPACE);
        g.writeString(s.keyspace());
        g.writeFieldName(TABLE);
        g.writeString(s.table());
        g.writeFieldName(ENTITY);
        g.writeString(s.entity());
        g.writeFieldName(SEQUENCE_NUMBER);
        g.writeNumber(s.sequenceNumber());
        g.writeFieldName(SHARD);
        g.writeNumber(s.shard());
        g.writeFieldName(START_TIME);
        writeTime(g, s.startTime());
        g.writeFieldName(END_TIME);
        writeTime(g, s.endTime());
        g.writeEndObject();
    }

    /** Writes a UUID as its lowercase canonical string, straight from its bits: no escaping to check. */
    static void writeUuid(JsonGenerator g, UUID id) throws IOException {
        byte[] b = new byte[36];
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        hex(b, 0, msb >>> 32, 8);
        b[8] = '-';
        hex(b, 9, msb >>> 16, 4);
        b[13] = '-';
        hex(b, 14, msb, 4);
        b[18] = '-';
        hex(b, 19, lsb >>> 48, 4);
        b[23] = '-';
        hex(b, 24, lsb, 12);
        g.writeRawUTF8String(b, 0, 36);
    }

    private static void hex(byte[] b, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static void writeState(JsonGenerator g, TaskState state) throws IOException {
        byte[] name = STATE_NAMES[state.ordinal()];
        g.writeRawUTF8String(name, 0, name.length);
    }

    private static void writeKind(JsonGenerator g, TaskKind kind) throws IOException {
        byte[] name = KIND_NAMES[kind.ordinal()];
        g.writeRawUTF8String(name, 0, name.length);
    }

    private static void writeTime(JsonGenerator g, Instant instant) throws IOException {
        if (instant == null) {
            g.writeRawUTF8String(UNSET_TIME_BYTES, 0, UNSET_TIME_BYTES.length);
            return;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            g.writeString(time(instant));
            return;
        }
        byte[] b = new byte[20];
        format(t, b);
        g.writeRawUTF8String(b, 0, 20);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes a double in shortest form: whole values as integers ({@code 4}), others as Java prints
     * them ({@code 2.5}). Progress is never NaN or infinite (the core rejects it), but a non-finite
     * value would still print as {@code 0} rather than as invalid JSON.
     */
    static void writeNumber(JsonGenerator g, double value) throws IOException {
        if (!Double.isFinite(value)) {
            g.writeNumber(0);
        } else if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
            g.writeNumber((long) value);
        } else {
            g.writeNumber(value);
        }
    }

    /**
     * Formats an instant as {@code YYYY-MM-DDTHH:MM:SSZ} in UTC, truncated to whole seconds; {@code null}
     * (unset) as {@value #UNSET_TIME}. Hand-rolled because it runs twice per listed task.
     */
    static String time(Instant instant) {
        if (instant == null) {
            return UNSET_TIME;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return t.toString() + "Z"; // ISO-8601 with a sign or more digits; never seen in practice
        }
        byte[] b = new byte[20];
        format(t, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code YYYY-MM-DDTHH:MM:SSZ} into 20 bytes; the year must be 0 to 9999. */
    private static void format(LocalDateTime t, byte[] c) {
        put4(c, 0, t.getYear());
        c[4] = '-';
        put2(c, 5, t.getMonthValue());
        c[7] = '-';
        put2(c, 8, t.getDayOfMonth());
        c[10] = 'T';
        put2(c, 11, t.getHour());
        c[13] = ':';
        put2(c, 14, t.getMinute());
        c[16] = ':';
        put2(c, 17, t.getSecond());
        c[19] = 'Z';
    }

    private static void put2(byte[] c, int at, int value) {
        c[at] = (byte) ('0' + value / 10);
        c[at + 1] = (byte) ('0' + value % 10);
    }

    private static void put4(byte[] c, int at, int value) {
        put2(c, at, value / 100);
        put2(c, at + 2, value % 100);
    }

    /**
     * Writes a value an extension handler returned: strings, numbers, booleans, UUIDs (as strings),
     * task snapshots, maps with string keys, and iterables of those.
     *
     * @throws IllegalStateException for any other type: a bug in the extension, answered with 500
     */
    static void writeValue(JsonGenerator g, Object value, String node) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof CharSequence || value instanceof UUID || value instanceof Enum) {
            g.writeString(value.toString());
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Double || value instanceof Float) {
            writeNumber(g, ((Number) value).doubleValue());
        } else if (value instanceof Number) {
            g.writeNumber(value.toString());
        } else if (value instanceof TaskStatus) {
            writeStatus(g, (TaskStatus) value, node);
        } else if (value instanceof TaskStats) {
            writeStats(g, (TaskStats) value);
        } else if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(g, entry.getValue(), node);
            }
            g.writeEndObject();
        } else if (value instanceof Iterable) {
            g.writeStartArray();
            for (Object element : (Iterable<?>) value) {
                writeValue(g, element, node);
            }
            g.writeEndArray();
        } else if (value instanceof Object[]) {
            writeValue(g, Arrays.asList((Object[]) value), node);
        } else {
            throw new IllegalStateException("an extension returned a " + value.getClass().getName()
                    + ", which has no JSON rendering; return a String, Number, Boolean, UUID, "
                    + "TaskStatus, TaskStats, Map, Iterable or null");
        }
    }
}
