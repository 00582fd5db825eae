package dev.taskmanager.cli;

import java.util.StringJoiner;

/**
 * How one JSON value is shown in a table cell or a status line (SPEC §14.3, §14.4): strings raw,
 * everything else as its JSON text, unset times empty, lists of children as
 * {@code [{task_id: <id>, node: <ip> }, ...]}. A missing value ({@code null}) is an empty cell;
 * in the views of the v2 API, so is JSON {@code null}, and times are cut to the second.
 */
final class Cells {

    /** How the server renders a time that is not set (SPEC §3.1). */
    static final String UNSET_TIME = "1970-01-01T00:00:00Z";

    private Cells() {
    }

    /** A string's content, or any other value's JSON text; {@code ""} when missing. */
    static String text(Json value) {
        if (value == null) {
            return "";
        }
        return value instanceof Json.Str s ? s.value() : value.toJsonText();
    }

    /** Like {@link #text}, but the unset time prints as nothing. */
    static String time(Json value) {
        String text = text(value);
        return value instanceof Json.Str && text.equals(UNSET_TIME) ? "" : text;
    }

    /** Like {@link #text}, but JSON {@code null} (a v2 field without a value) is empty too. */
    static String orEmpty(Json value) {
        return value == Json.Null.INSTANCE ? "" : text(value);
    }

    /**
     * A v2 time ({@code 2026-11-30T00:15:12.123456789Z}) to the second, as the compat API writes
     * times: {@code 2026-11-30T00:15:12Z}; {@code null} is empty; anything else prints as sent.
     */
    static String secondsTime(Json value) {
        String text = orEmpty(value);
        if (value instanceof Json.Str && text.length() > 20 && text.charAt(19) == '.'
                && text.endsWith("Z") && text.charAt(10) == 'T') {
            return text.substring(0, 19) + "Z";
        }
        return text;
    }

    /**
     * A list as nodetool prints {@code children_ids}: each object as {@code {k: v, k2: v2 }} with
     * its members in server order (so {@code {task_id: <id>, node: <ip> }}), joined by
     * {@code ", "} inside brackets; {@code []} when empty. Elements that are not objects print as
     * {@link #text}; a value that is not an array prints as {@link #text} too.
     */
    static String list(Json value) {
        if (!(value instanceof Json.Arr array)) {
            return text(value);
        }
        StringJoiner elements = new StringJoiner(", ", "[", "]");
        for (Json element : array.elements()) {
            if (element instanceof Json.Obj object) {
                StringJoiner members = new StringJoiner(", ", "{", " }");
                for (Json.Member m : object.members()) {
                    members.add(m.name() + ": " + text(m.value()));
                }
                elements.add(members.toString());
            } else {
                elements.add(text(element));
            }
        }
        return elements.toString();
    }
}
