package dev.taskmanager.cli;

/**
 * Renders a {@code task_status} object as status lines (SPEC §14.4): one {@code <key>: <value>}
 * line per member, in the order the server sent them, whatever the members are (a status with
 * missing keys prints the keys it has; unknown keys print too). Keys and values go through
 * {@link TerminalText#escape}, so an error holding a newline stays on its line.
 */
final class StatusPrinter {

    private StatusPrinter() {
    }

    /** The lines for {@code status}, each ending in {@code \n}. */
    static String render(Json.Obj status) {
        StringBuilder sb = new StringBuilder();
        for (Json.Member m : status.members()) {
            sb.append(TerminalText.escape(m.name())).append(": ")
                    .append(TerminalText.escape(value(m))).append('\n');
        }
        return sb.toString();
    }

    private static String value(Json.Member m) {
        if (m.name().equals("start_time") || m.name().equals("end_time")) {
            return Cells.time(m.value());
        }
        return m.value() instanceof Json.Arr ? Cells.list(m.value()) : Cells.text(m.value());
    }
}
