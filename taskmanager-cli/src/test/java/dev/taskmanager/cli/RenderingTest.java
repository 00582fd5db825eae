package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Table} and {@link Cells}: the pieces every printed line is made of. */
class RenderingTest {

    @Test
    void everyCellIsPaddedToItsColumnWidthIncludingTheLast() {
        Table table = new Table(List.of("a", "bb"));
        table.add(List.of("ccc", ""));
        assertThat(table.render()).isEqualTo("a   bb\nccc   \n");
    }

    @Test
    void aHeaderOnlyTableHasNoPadding() {
        assertThat(new Table(List.of("x", "yy", "z")).render()).isEqualTo("x yy z\n");
    }

    @Test
    void widthsCountCodePointsSoAstralCharactersDoNotMisalign() {
        Table table = new Table(List.of("ab"));
        table.add(List.of("\uD83D\uDE00"));
        assertThat(table.render()).isEqualTo("ab\n\uD83D\uDE00 \n");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsAProgrammingError() {
        assertThatThrownBy(() -> new Table(List.of("a")).add(List.of("1", "2")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheUnsetTimeStringPrintsEmpty() {
        assertThat(Cells.time(new Json.Str("1970-01-01T00:00:00Z"))).isEmpty();
        assertThat(Cells.time(new Json.Str("2025-01-16T16:12:11Z")))
                .isEqualTo("2025-01-16T16:12:11Z");
        assertThat(Cells.time(new Json.Num("0"))).isEqualTo("0");
        assertThat(Cells.time(null)).isEmpty();
    }

    @Test
    void textIsRawForStringsAndJsonTextOtherwise() {
        assertThat(Cells.text(new Json.Str("a \"b\""))).isEqualTo("a \"b\"");
        assertThat(Cells.text(new Json.Bool(true))).isEqualTo("true");
        assertThat(Cells.text(new Json.Num("2.5"))).isEqualTo("2.5");
        assertThat(Cells.text(Json.Null.INSTANCE)).isEqualTo("null");
        assertThat(Cells.text(null)).isEmpty();
    }

    @Test
    void childrenPrintInNodetoolsFormat() {
        Json children = JsonReader.parse("[{\"task_id\": \"a\", \"node\": \"127.0.0.1\"}, "
                + "{\"task_id\": \"b\", \"node\": \"10.0.0.2\"}]");
        assertThat(Cells.list(children))
                .isEqualTo("[{task_id: a, node: 127.0.0.1 }, {task_id: b, node: 10.0.0.2 }]");
        assertThat(Cells.list(new Json.Arr(List.of()))).isEqualTo("[]");
        assertThat(Cells.list(new Json.Str("n/a"))).isEqualTo("n/a");
    }
}
