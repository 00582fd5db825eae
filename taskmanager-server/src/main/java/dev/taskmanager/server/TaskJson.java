package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.taskmanager.AbortRequest;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The v2 JSON form of a task: the one place that writes it, for every v2 answer (a task, a page of
 * tasks, a tree, a wait) and for whatever else shows tasks in this form (events, the dashboard), so a
 * client sees the same object wherever it reads one. The schema is {@code Task} in
 * {@code /openapi.json} and is described field by field in {@code docs/api-v2.md}:
 *
 * <ul>
 *   <li>names are snake_case; every field is always present, {@code null} when it has no value;</li>
 *   <li>times are RFC 3339 in UTC with nanoseconds, e.g. {@code 2026-11-30T00:15:12.123456789Z},
 *       so that their text sorts like the instants;</li>
 *   <li>{@code state} is {@code created}, {@code running}, {@code done}, {@code failed} or
 *       {@code aborted} (a task that ended because of an abort request; the compat API calls it
 *       {@code failed}); {@code abort_requested} says an abort was asked of a task not ended yet;</li>
 *   <li>{@code node} is the node that owns the task, {@code source} where the answer read it:
 *       {@value #LIVE} (this server's registry) or {@value #HISTORY} (a history store).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class TaskJson {
    /** {@code source} of a task read from the live registry. */
    public static final String LIVE = "live";
    /** {@code source} of a task read from a history store. */
    public static final String HISTORY = "history";

    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString NODE = new SerializedString("node");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString MODULE = new SerializedString("module");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString SCOPE = new SerializedString("scope");
    private static final SerializedString KEYSPACE = new SerializedString("keyspace");
    private static final SerializedString TABLE = new SerializedString("table");
    private static final SerializedString ENTITY = new SerializedString("entity");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString ABORT_REQUESTED = new SerializedString("abort_requested");
    private static final SerializedString ABORT = new SerializedString("abort");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString REQUESTED_BY = new SerializedString("requested_by");
    private static final SerializedString REQUESTED_AT = new SerializedString("requested_at");
    private static final SerializedString LABELS = new SerializedString("labels");
    private static final SerializedString CREATED_TIME = new SerializedString("created_time");
    private static final SerializedString UPDATED_TIME = new SerializedString("updated_time");
    private static final SerializedString DEADLINE = new SerializedString("deadline");
    private static final SerializedString RATE = new SerializedString("rate");
    private static final SerializedString ETA_SECONDS = new SerializedString("eta_seconds");
    private static final SerializedString STALLED = new SerializedString("stalled");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString ABORTABLE = new SerializedString("abortable");
    private static final SerializedString USER_TASK = new SerializedString("user_task");
    private static final SerializedString INTERNAL = new SerializedString("internal");
    private static final SerializedString PARENT_ID = new SerializedString("parent_id");
    private static final SerializedString CHILDREN = new SerializedString("children");
    private static final SerializedString SEQUENCE_NUMBER = new SerializedString("sequence_number");
    private static final SerializedString SHARD = new SerializedString("shard");
    private static final SerializedString START_TIME = new SerializedString("start_time");
    private static final SerializedString END_TIME = new SerializedString("end_time");
    private static final SerializedString PROGRESS = new SerializedString("progress");
    private static final SerializedString UNITS = new SerializedString("units");
    private static final SerializedString COMPLETED = new SerializedString("completed");
    private static final SerializedString TOTAL = new SerializedString("total");

    private TaskJson() {
    }

    /**
     * Writes {@code task} as one JSON object.
     *
     * @param node   the node that owns the task (this server's {@link ApiOptions#nodeAddress()} for
     *               live tasks); also reported for each child
     * @param source {@value #LIVE} or {@value #HISTORY}
     */
    public static void write(JsonGenerator g, TaskStatus task, String node, String source) throws IOException {
        g.writeStartObject();
        writeFields(g, task, node, source);
        g.writeEndObject();
    }

    /**
     * Writes the fields of {@link #write} into an object the caller opened, so that it can add
     * members after them (a tree's {@code descendants}) before closing it.
     */
    public static void writeFields(JsonGenerator g, TaskStatus task, String node, String source) throws IOException {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(source, "source");
        g.writeFieldName(ID);
        Json.writeUuid(g, task.id());
        g.writeFieldName(NODE);
        g.writeString(node);
        g.writeFieldName(SOURCE);
        g.writeString(source);
        g.writeFieldName(MODULE);
        g.writeString(task.module());
        g.writeFieldName(TYPE);
        g.writeString(task.type());
        g.writeFieldName(KIND);
        g.writeString(task.kind().wireName());
        g.writeFieldName(SCOPE);
        g.writeString(task.scope());
        g.writeFieldName(KEYSPACE);
        g.writeString(task.keyspace());
        g.writeFieldName(TABLE);
        g.writeString(task.table());
        g.writeFieldName(ENTITY);
        g.writeString(task.entity());
        g.writeFieldName(STATE);
        g.writeString(state(task));
        g.writeFieldName(ABORT_REQUESTED);
        g.writeBoolean(task.abortRequested());
        g.writeFieldName(ABORT);
        AbortRequest abort = task.abortRequest();
        if (abort == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeFieldName(REASON);
            g.writeString(abort.reason());
            g.writeFieldName(REQUESTED_BY);
            g.writeString(abort.requestedBy());
            g.writeFieldName(REQUESTED_AT);
            writeTime(g, abort.requestedAt());
            g.writeEndObject();
        }
        g.writeFieldName(ERROR);
        if (task.state() == TaskState.FAILED) { // failed or aborted
            g.writeString(task.error());
        } else {
            g.writeNull();
        }
        g.writeFieldName(ABORTABLE);
        g.writeBoolean(task.abortable());
        g.writeFieldName(USER_TASK);
        g.writeBoolean(task.userTask());
        g.writeFieldName(INTERNAL);
        g.writeBoolean(task.internal());
        g.writeFieldName(PARENT_ID);
        writeUuidOrNull(g, task.parentId());
        g.writeFieldName(CHILDREN);
        g.writeStartArray();
        for (UUID child : task.children()) {
            g.writeStartObject();
            g.writeFieldName(ID);
            Json.writeUuid(g, child);
            g.writeFieldName(NODE);
            g.writeString(node);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName(SEQUENCE_NUMBER);
        g.writeNumber(task.sequenceNumber());
        g.writeFieldName(SHARD);
        g.writeNumber(task.shard());
        g.writeFieldName(LABELS);
        g.writeStartObject();
        for (Map.Entry<String, String> label : task.labels().entrySet()) {
            g.writeStringField(label.getKey(), label.getValue());
        }
        g.writeEndObject();
        g.writeFieldName(CREATED_TIME);
        writeTime(g, task.createdTime());
        g.writeFieldName(UPDATED_TIME);
        writeTime(g, task.updatedTime());
        g.writeFieldName(START_TIME);
        writeTime(g, task.startTime());
        g.writeFieldName(END_TIME);
        writeTime(g, task.endTime());
        g.writeFieldName(DEADLINE);
        writeTime(g, task.deadline());
        g.writeFieldName(PROGRESS);
        g.writeStartObject();
        g.writeFieldName(UNITS);
        g.writeString(task.progressUnits());
        g.writeFieldName(COMPLETED);
        Json.writeNumber(g, task.progress().completed());
        g.writeFieldName(TOTAL);
        Json.writeNumber(g, task.progress().total());
        g.writeFieldName(RATE);
        if (task.rate() == null) {
            g.writeNull();
        } else {
            Json.writeNumber(g, task.rate());
        }
        g.writeFieldName(ETA_SECONDS);
        if (task.eta() == null) {
            g.writeNull();
        } else {
            Json.writeNumber(g, task.eta().toNanos() / 1e9);
        }
        g.writeEndObject();
        g.writeFieldName(STALLED);
        g.writeBoolean(task.stalled());
    }

    /** The v2 state of a task: its lifecycle state, with an ended abort told from a failure. */
    static String state(TaskStatus task) {
        return task.aborted() ? "aborted" : task.state().wireName();
    }

    /**
     * An instant in the v2 form: RFC 3339, UTC, nine fraction digits, e.g.
     * {@code 2026-11-30T00:15:12.120000000Z}.
     */
    public static String time(Instant instant) {
        byte[] text = timeBytes(instant);
        return text != null ? new String(text, java.nio.charset.StandardCharsets.US_ASCII) : RFC_3339.format(instant);
    }

    private static void writeTime(JsonGenerator g, Instant instant) throws IOException {
        if (instant == null) {
            g.writeNull();
            return;
        }
        byte[] text = timeBytes(instant);
        if (text != null) {
            g.writeRawUTF8String(text, 0, text.length); // digits and separators only: nothing to escape
        } else {
            g.writeString(RFC_3339.format(instant));
        }
    }

    /**
     * The RFC 3339 form computed with integer arithmetic (days to civil date after Howard Hinnant's
     * {@code civil_from_days}): a listing writes five times per task, and the formatter's temporal
     * objects were most of what a page allocated. {@code null} outside years 0 to 9999, which the
     * formatter writes instead.
     */
    static byte[] timeBytes(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return null;
        }
        byte[] b = new byte[30];
        digits(b, 0, (int) year, 4);
        b[4] = '-';
        digits(b, 5, month, 2);
        b[7] = '-';
        digits(b, 8, day, 2);
        b[10] = 'T';
        digits(b, 11, secondOfDay / 3600, 2);
        b[13] = ':';
        digits(b, 14, secondOfDay / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, secondOfDay % 60, 2);
        b[19] = '.';
        digits(b, 20, instant.getNano(), 9);
        b[29] = 'Z';
        return b;
    }

    private static void digits(byte[] b, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void writeUuidOrNull(JsonGenerator g, UUID id) throws IOException {
        if (id == null) {
            g.writeNull();
        } else {
            Json.writeUuid(g, id);
        }
    }
}
