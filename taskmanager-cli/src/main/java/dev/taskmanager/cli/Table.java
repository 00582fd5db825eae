package dev.taskmanager.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table as nodetool prints it (SPEC §14.3): the header is the first row, each
 * column is as wide as its widest cell, cells are separated by one space.
 *
 * <p>Every cell is padded to its column's width, <em>including the last one</em>, so lines may end
 * in spaces. This is deliberate: nodetool's table printer formats every cell with
 * {@code {:<width}} and only omits the separator after the last, and output-compatibility with it
 * is the contract; scripts that split on whitespace are unaffected either way.
 *
 * <p>Widths count code points, not UTF-16 units, so a non-BMP character in a cell does not
 * misalign its column.
 */
final class Table {

    private final int columns;
    private final List<String[]> rows = new ArrayList<>();

    Table(List<String> header) {
        this.columns = header.size();
        rows.add(header.toArray(String[]::new));
    }

    /** Adds a row; it must have one cell per column. */
    void add(List<String> cells) {
        if (cells.size() != columns) {
            throw new IllegalArgumentException(
                    "row has " + cells.size() + " cells, table has " + columns + " columns");
        }
        rows.add(cells.toArray(String[]::new));
    }

    /** The whole table, one {@code \n}-terminated line per row. */
    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    sb.append(' ');
                }
                sb.append(row[c]).append(" ".repeat(widths[c] - width(row[c])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
