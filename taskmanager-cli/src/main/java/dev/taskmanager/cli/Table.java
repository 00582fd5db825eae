package dev.taskmanager.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table (SPEC §14.3): the header is the first row, each column is as wide as
 * its widest cell, cells are separated by one space. Every cell goes through
 * {@link TerminalText#escape}, so no cell can break its row or send a control sequence.
 *
 * <p><b>How nodetool pads, and why {@link #render()} pads the last column too.</b> nodetool's
 * table printer ({@code class Tabulate} in ScyllaDB's {@code tools/scylla-nodetool.cc}, used by
 * {@code tasks list} and {@code tasks tree}) takes each column's width as the longest cell of that
 * column (header included, at least 1) and prints every cell of every row, the last one
 * included, with fmt's {@code "{:<width}"}, writing the one-space delimiter only between cells. So
 * its rows end in spaces up to the width of the last column: a {@code tree} whose root has 21
 * children pads every row to that root's {@code children_ids} cell. {@link #render()} does
 * exactly that, because the compat output is the contract; {@code tree --compact} is the view
 * for people (see {@link #renderCompact()}).
 *
 * <p>One deliberate difference: nodetool measures a column in bytes of UTF-8 ({@code
 * std::string::size()}) while fmt pads by display width, so its columns drift after non-ASCII
 * text; widths here count code points, which gives the same output for ASCII and aligned
 * columns for the rest (a non-BMP character counts once).
 */
final class Table {

    private final int columns;
    private final List<String[]> rows = new ArrayList<>();

    Table(List<String> header) {
        this.columns = header.size();
        rows.add(header.toArray(String[]::new));
    }

    /** Adds a row, escaping its cells; it must have one cell per column. */
    void add(List<String> cells) {
        if (cells.size() != columns) {
            throw new IllegalArgumentException(
                    "row has " + cells.size() + " cells, table has " + columns + " columns");
        }
        rows.add(cells.stream().map(TerminalText::escape).toArray(String[]::new));
    }

    /** The whole table as nodetool prints it: every cell padded, the last included. */
    String render() {
        int[] widths = widths();
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    sb.append(' ');
                }
                pad(sb, row[c], widths[c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The table for a terminal: no line ends in spaces. The last column is not padded, and a row
     * ends after its last non-empty cell.
     */
    String renderCompact() {
        return renderCompact(new int[columns], true);
    }

    /**
     * {@link #renderCompact()} with each column at least as wide as {@code atLeast} says, which
     * is then widened to this table's widths: a table printed in parts, as they arrive, keeps
     * its columns from narrowing from one part to the next. Without {@code header}, the header
     * row only counts for the widths.
     */
    String renderCompact(int[] atLeast, boolean header) {
        int[] widths = widths();
        for (int c = 0; c < columns; c++) {
            widths[c] = Math.max(widths[c], atLeast[c]);
            atLeast[c] = widths[c];
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : header ? rows : rows.subList(1, rows.size())) {
            int last = columns - 1;
            while (last > 0 && row[last].isEmpty()) {
                last--;
            }
            for (int c = 0; c <= last; c++) {
                if (c > 0) {
                    sb.append(' ');
                }
                if (c < last) {
                    pad(sb, row[c], widths[c]);
                } else {
                    sb.append(row[c]);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private int[] widths() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        return widths;
    }

    private static void pad(StringBuilder sb, String cell, int width) {
        sb.append(cell).append(" ".repeat(width - width(cell)));
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
