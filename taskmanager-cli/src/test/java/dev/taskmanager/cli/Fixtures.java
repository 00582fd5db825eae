package dev.taskmanager.cli;

/** JSON bodies shaped like the compat API's (SPEC §12.2, §12.3), keys in server order. */
final class Fixtures {

    static final String UNSET = "1970-01-01T00:00:00Z";
    static final String STARTED = "2025-01-16T16:12:11Z";
    static final String ENDED = "2025-01-16T16:13:00Z";

    private Fixtures() {
    }

    /** A {@code task_stats} element. */
    static String stats(String id, String type, String scope, String state, int sequenceNumber,
            String keyspace, String table, String entity, int shard, String start, String end) {
        return "{\"task_id\": \"" + id + "\", \"state\": \"" + state + "\", \"type\": \"" + type
                + "\", \"kind\": \"node\", \"scope\": \"" + scope + "\", \"keyspace\": \""
                + keyspace + "\", \"table\": \"" + table + "\", \"entity\": \"" + entity
                + "\", \"sequence_number\": " + sequenceNumber + ", \"shard\": " + shard
                + ", \"start_time\": \"" + start + "\", \"end_time\": \"" + end + "\"}";
    }

    /** A {@code task_status}; {@code childrenIds} is the JSON array text. */
    static String status(String id, String state, boolean abortable, String start, String end,
            String error, String parent, String total, String completed, String childrenIds) {
        return "{\"id\": \"" + id + "\", \"type\": \"repair\", \"kind\": \"node\", "
                + "\"scope\": \"keyspace\", \"state\": \"" + state + "\", \"is_abortable\": "
                + abortable + ", \"start_time\": \"" + start + "\", \"end_time\": \"" + end
                + "\", \"error\": \"" + error + "\", \"parent_id\": \"" + parent + "\", "
                + "\"sequence_number\": 7, \"shard\": 0, \"keyspace\": \"ks\", \"table\": \"\", "
                + "\"entity\": \"\", \"progress_units\": \"ranges\", \"progress_total\": "
                + total + ", \"progress_completed\": " + completed + ", \"children_ids\": "
                + childrenIds + "}";
    }

    /** A running root with no children. */
    static String runningStatus(String id) {
        return status(id, "running", true, STARTED, UNSET, "", "none", "0", "0", "[]");
    }

    static String child(String id) {
        return "{\"task_id\": \"" + id + "\", \"node\": \"127.0.0.1\"}";
    }

    static String array(String... elements) {
        return "[" + String.join(", ", elements) + "]";
    }
}
