package dev.taskmanager.cli;

import java.util.List;

/**
 * A table printed as its rows arrive, page by page, for listings too long to hold
 * ({@code find --all}, {@code list --wide}): the header comes with the first page, and each page
 * is laid out like {@link Table#renderCompact()} with every column at least as wide as it was on
 * the pages before. So memory holds one page, and columns only widen: rows of a later page line
 * up with each other and never narrower than those above, though a wider later cell is not
 * lined up with the rows printed before it. Cells are escaped ({@link TerminalText}).
 *
 * <p>Used by one thread.
 */
final class PagedTable {

    private final List<String> header;
    private final int[] widths;
    private boolean headerPrinted;

    PagedTable(List<String> header) {
        this.header = List.copyOf(header);
        this.widths = new int[header.size()];
    }

    /** The text of one page of rows (the header before the first page, even an empty one). */
    String page(List<List<String>> rows) {
        Table table = new Table(header);
        rows.forEach(table::add);
        String text = table.renderCompact(widths, !headerPrinted);
        headerPrinted = true;
        return text;
    }
}
