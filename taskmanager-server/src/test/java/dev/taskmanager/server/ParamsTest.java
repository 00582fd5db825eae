package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

    @Test
    void parsesAndDecodesTheQuery() {
        Params params = Params.parse("a=1&b=x%20y&c=p+q&flag&&d=");
        assertThat(params.get("a")).hasValue("1");
        assertThat(params.get("b")).hasValue("x y");
        assertThat(params.get("c")).hasValue("p q");
        assertThat(params.get("flag")).hasValue("");
        assertThat(params.get("d")).hasValue("");
        assertThat(params.get("missing")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1"})
    void trueBooleans(String value) {
        assertThat(Params.parseBoolean("b", value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "fAlSe", "0"})
    void falseBooleans(String value) {
        assertThat(Params.parseBoolean("b", value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yes", "no", "2", "t", " true", "01"})
    void otherBooleansAreRefused(String value) {
        assertThatThrownBy(() -> Params.parseBoolean("flag", value)).isInstanceOf(ApiException.class)
                .hasMessageContaining("'flag'").hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", " 1", "1 ", "1_000", "١", "0x1", "1e3", "1.0", "-", ""})
    void wholeNumbersArePlainDecimalDigits(String value) {
        assertThatThrownBy(() -> Params.parseWholeNumber("n", value, 0, 100)).isInstanceOf(ApiException.class);
    }

    @Test
    void wholeNumbersHonourTheirBounds() {
        assertThat(Params.parseWholeNumber("n", "0", 0, 100)).isZero();
        assertThat(Params.parseWholeNumber("n", "100", 0, 100)).isEqualTo(100);
        assertThat(Params.parseWholeNumber("n", "007", 0, 100)).isEqualTo(7);
        assertThatThrownBy(() -> Params.parseWholeNumber("n", "101", 0, 100)).hasMessageContaining("out of range");
    }

    @Test
    void uuidsMustBeCanonical() {
        assertThat(Params.parseUuid("id", "ABCDEF01-2345-6789-abcd-ef0123456789"))
                .isEqualTo(UUID.fromString("abcdef01-2345-6789-abcd-ef0123456789"));
        assertThatThrownBy(() -> Params.parseUuid("id", "abcdef01-2345-6789-abcd-ef012345678\u0000"))
                .hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> Params.parseUuid("id", "x".repeat(500)))
                .hasMessageContaining("(500 characters)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2.5", "10", ".5", "1e3", "3."})
    void decimals(String value) {
        assertThat(Params.parseDecimal("d", value)).isEqualTo(Double.parseDouble(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-1", "1e400", "0x1p3", "1f", ""})
    void badDecimals(String value) {
        assertThatThrownBy(() -> Params.parseDecimal("d", value)).isInstanceOf(ApiException.class)
                .hasMessageContaining("'d'");
    }
}
