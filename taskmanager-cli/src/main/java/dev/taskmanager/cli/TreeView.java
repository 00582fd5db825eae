package dev.taskmanager.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two ways {@code tasks tree} prints statuses (each a {@code task_status} object as the server
 * sent it, in the server's breadth-first order):
 * <ul>
 *   <li>{@link #table}: nodetool's table of every field (SPEC §14.3), byte for byte, padding
 *       included (see {@link Table});</li>
 *   <li>{@link #compact}: for people, one short row per task, {@code id state progress entity
 *       error}, children under their parent with the id indented two spaces per level (the
 *       indentation is on the id because every task has one; entities are often empty), and no
 *       line ending in spaces.</li>
 * </ul>
 * Both tolerate what the server sends (SPEC §14.5): a missing key is an empty cell, an element
 * that is not an object an empty row. Stateless.
 */
final class TreeView {

    /** Header of the table; the keys read for each column are in {@link #TABLE_KEYS}. */
    private static final List<String> TABLE_COLUMNS = List.of("id", "type", "kind", "scope",
            "state", "is_abortable", "start_time", "end_time", "error", "parent_id",
            "sequence_number", "shard", "keyspace", "table", "entity", "progress_units", "total",
            "completed", "children_ids");

    private static final List<String> TABLE_KEYS = List.of("id", "type", "kind", "scope",
            "state", "is_abortable", "start_time", "end_time", "error", "parent_id",
            "sequence_number", "shard", "keyspace", "table", "entity", "progress_units",
            "progress_total", "progress_completed", "children_ids");

    private static final List<String> COMPACT_COLUMNS =
            List.of("id", "state", "progress", "entity", "error");

    private TreeView() {
    }

    /**
     * nodetool's table: one row per status, in the order given. A missing key is an empty cell,
     * {@code children_ids} included: {@code []} is printed only when the server sent an empty list.
     */
    static String table(List<Json> statuses) {
        Table table = new Table(TABLE_COLUMNS);
        for (Json element : statuses) {
            Json.Obj status = object(element);
            table.add(TABLE_KEYS.stream().map(key -> cell(key, status.get(key))).toList());
        }
        return table.render();
    }

    /**
     * The compact view: each task after its parent, depth first, children in the order the server
     * listed them. A status whose {@code parent_id} is not among {@code statuses} starts a tree of
     * its own; a cycle (which no correct server sends) is cut where it closes.
     */
    static String compact(List<Json> statuses) {
        List<Json.Obj> tasks = statuses.stream().map(TreeView::object).toList();
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            indexById.putIfAbsent(Cells.text(tasks.get(i).get("id")), i);
        }
        List<List<Integer>> children = new ArrayList<>();
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < tasks.size(); i++) {
            Json parentId = tasks.get(i).get("parent_id");
            Integer parent = parentId == null ? null : indexById.get(Cells.text(parentId));
            if (parent != null && parent != i) {
                children.get(parent).add(i);
            } else {
                roots.add(i);
            }
        }

        Table table = new Table(COMPACT_COLUMNS);
        boolean[] shown = new boolean[tasks.size()];
        for (int root : roots) {
            addSubtree(table, tasks, children, shown, root);
        }
        for (int i = 0; i < tasks.size(); i++) {
            if (!shown[i]) { // only a cycle keeps a task from every root
                addSubtree(table, tasks, children, shown, i);
            }
        }
        return table.renderCompact();
    }

    private static void addSubtree(Table table, List<Json.Obj> tasks, List<List<Integer>> children,
            boolean[] shown, int root) {
        Deque<int[]> stack = new ArrayDeque<>();
        stack.push(new int[] {root, 0});
        while (!stack.isEmpty()) {
            int[] top = stack.pop();
            int index = top[0];
            if (shown[index]) {
                continue;
            }
            shown[index] = true;
            Json.Obj task = tasks.get(index);
            table.add(List.of("  ".repeat(top[1]) + Cells.text(task.get("id")),
                    Cells.text(task.get("state")), progress(task), Cells.text(task.get("entity")),
                    Cells.text(task.get("error"))));
            List<Integer> kids = children.get(index);
            for (int k = kids.size() - 1; k >= 0; k--) {
                stack.push(new int[] {kids.get(k), top[1] + 1});
            }
        }
    }

    /** A status's progress in a few characters ({@link Progress#text}). */
    static String progress(Json.Obj status) {
        return Progress.text(Cells.text(status.get("progress_units")),
                status.get("progress_completed"), status.get("progress_total"));
    }

    private static Json.Obj object(Json element) {
        return element instanceof Json.Obj o ? o : new Json.Obj(List.of());
    }

    private static String cell(String key, Json value) {
        return switch (key) {
            case "start_time", "end_time" -> Cells.time(value);
            case "children_ids" -> Cells.list(value);
            default -> Cells.text(value);
        };
    }
}
