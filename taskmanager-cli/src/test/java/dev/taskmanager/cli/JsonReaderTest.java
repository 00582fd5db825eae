package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's JSON reader (jackson-core streaming): what the server sent, in its order, numbers as text. */
class JsonReaderTest {

    @Test
    void objectsKeepMemberOrderAndNumbersKeepTheirText() {
        Json.Obj o = (Json.Obj) JsonReader.parse(
                " {\"b\": 2.50, \"a\": -0, \"c\": 1e+3, \"d\": [true, false, null]} ");
        assertThat(o.members()).extracting(Json.Member::name).containsExactly("b", "a", "c", "d");
        assertThat(o.get("b")).isEqualTo(new Json.Num("2.50"));
        assertThat(o.get("a").toJsonText()).isEqualTo("-0");
        assertThat(o.get("c").toJsonText()).isEqualTo("1e+3");
        assertThat(o.get("d")).isEqualTo(new Json.Arr(List.of(new Json.Bool(true),
                new Json.Bool(false), Json.Null.INSTANCE)));
        assertThat(o.get("missing")).isNull();
    }

    @Test
    void stringsAreUnescapedIncludingSurrogatePairs() {
        assertThat(JsonReader.parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\""))
                .isEqualTo(new Json.Str("a\"b\\c/d\n\té\uD83D\uDE00"));
    }

    @Test
    void jsonTextRoundTripsEscapes() {
        String text = "{\"k\\\"\":\"line\\nquote\\\"\\u0001\",\"e\":[]}";
        assertThat(JsonReader.parse(text).toJsonText()).isEqualTo(text);
    }

    @Test
    void numbersBeyondLongAndDoubleKeepTheirTextToo() {
        assertThat(JsonReader.parse("[123456789012345678901234567890, 1E400, -0.000, 5e-1]")
                .toJsonText()).isEqualTo("[123456789012345678901234567890,1E400,-0.000,5e-1]");
    }

    @Test
    void theFirstOfDuplicateMembersWins() {
        Json.Obj o = (Json.Obj) JsonReader.parse("{\"a\": 1, \"a\": 2}");
        assertThat(o.get("a").toJsonText()).isEqualTo("1");
        assertThat(o.members()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", "-", "1e",
        "tru", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "[1] 2", "\"tab\there\"",
        "NaN", "{\"a\" 1}"})
    void malformedInputIsRefusedWithTheOffset(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset");
    }

    @Test
    void absurdNestingIsRefusedInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> JsonReader.parse(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("levels of nesting");
    }
}
