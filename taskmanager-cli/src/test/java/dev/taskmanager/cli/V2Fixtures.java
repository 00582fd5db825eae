package dev.taskmanager.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** JSON bodies shaped like the v2 API's (docs/api-v2.md): the task form, pages, trees, problems. */
final class V2Fixtures {

    static final String CREATED = "2026-11-30T00:15:12.120000000Z";
    static final String STARTED = "2026-11-30T00:15:12.121000000Z";
    static final String ENDED = "2026-11-30T00:15:33.321000000Z";

    private V2Fixtures() {
    }

    /**
     * A task with every field, running by default; {@code overrides} are pairs of a member name and
     * its raw JSON value ({@code "state", "\"done\""}), replacing the default in place or added at
     * the end.
     */
    static String task(String id, String... overrides) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("id", quote(id));
        members.put("node", quote("127.0.0.1"));
        members.put("source", quote("live"));
        members.put("module", quote("files"));
        members.put("type", quote("manifest"));
        members.put("kind", quote("node"));
        members.put("scope", quote("directory"));
        members.put("keyspace", quote(""));
        members.put("table", quote(""));
        members.put("entity", quote("/srv/data"));
        members.put("state", quote("running"));
        members.put("abort_requested", "false");
        members.put("abort", "null");
        members.put("error", "null");
        members.put("abortable", "true");
        members.put("user_task", "true");
        members.put("internal", "false");
        members.put("parent_id", "null");
        members.put("children", "[]");
        members.put("sequence_number", "1");
        members.put("shard", "0");
        members.put("labels", "{}");
        members.put("created_time", quote(CREATED));
        members.put("updated_time", quote(CREATED));
        members.put("start_time", quote(STARTED));
        members.put("end_time", "null");
        members.put("deadline", "null");
        members.put("progress", progress("bytes", "0", "0", "null", "null"));
        members.put("stalled", "false");
        for (int i = 0; i < overrides.length; i += 2) {
            members.put(overrides[i], overrides[i + 1]);
        }
        StringJoiner object = new StringJoiner(", ", "{", "}");
        members.forEach((name, value) -> object.add(quote(name) + ": " + value));
        return object.toString();
    }

    /** A {@code progress} object; numbers and {@code null}s raw. */
    static String progress(String units, String completed, String total, String rate,
            String eta) {
        return "{\"units\": " + quote(units) + ", \"completed\": " + completed + ", \"total\": "
                + total + ", \"rate\": " + rate + ", \"eta_seconds\": " + eta + "}";
    }

    /** {@code task} with a {@code descendants} array, as {@code ?view=tree} answers. */
    static String tree(String task, String... descendants) {
        return task.substring(0, task.length() - 1) + ", \"descendants\": ["
                + String.join(", ", descendants) + "]}";
    }

    /** A page of {@code GET /v2/tasks}. */
    static String page(String next, long total, String... tasks) {
        return "{\"tasks\": [" + String.join(", ", tasks) + "], \"next_page_token\": "
                + quote(next) + ", \"total_size\": " + total + "}";
    }

    /** An RFC 9457 problem; {@code extra} is raw members to add (e.g. {@code "task": {...}}). */
    static String problem(String type, int status, String detail, String extra) {
        return "{\"type\": " + quote("urn:taskmanager:problem:" + type) + ", \"title\": \"t\", "
                + "\"status\": " + status + ", \"detail\": " + quote(detail)
                + (extra == null ? "" : ", " + extra) + "}";
    }

    static String quote(String text) {
        return Json.quote(text);
    }
}
