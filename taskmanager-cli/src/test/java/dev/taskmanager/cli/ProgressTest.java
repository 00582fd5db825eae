package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How progress, rates, times left and bars read. */
class ProgressTest {

    private static Json num(String text) {
        return new Json.Num(text);
    }

    @Test
    void amountsInBytesShareTheUnitOfTheLargerAndOthersKeepTheServersNumbers() {
        assertThat(Progress.text("bytes", num("85040333"), num("275668992")))
                .isEqualTo("81.1/262.9 MiB 30%");
        assertThat(Progress.text("bytes", num("13"), num("13"))).isEqualTo("13/13 B 100%");
        assertThat(Progress.text("ranges", num("2.50"), num("10"))).isEqualTo("2.50/10 ranges 25%");
        assertThat(Progress.text("", num("7"), num("0"))).isEqualTo("7");
        assertThat(Progress.text("files", num("0"), num("0"))).isEmpty();
        assertThat(Progress.text("files", Json.Null.INSTANCE, null)).isEmpty();
    }

    @Test
    void aPercentIsFlooredSoThatAlmostDoneIsNotDone() {
        assertThat(Progress.text("", num("999"), num("1000"))).endsWith(" 99%");
        assertThat(Progress.text("", num("1200"), num("1000"))).endsWith(" 100%");
    }

    @Test
    void ratesAreScaledInBytesAndPlainOtherwiseAndEmptyWhenUnknown() {
        assertThat(Progress.rate("bytes", num("1048576"))).isEqualTo("1.0 MiB/s");
        assertThat(Progress.rate("bytes", num("500"))).isEqualTo("500 B/s");
        assertThat(Progress.rate("ranges", num("4.25"))).isEqualTo("4.3 ranges/s");
        assertThat(Progress.rate("", num("3"))).isEqualTo("3/s");
        assertThat(Progress.rate("bytes", Json.Null.INSTANCE)).isEmpty();
        assertThat(Progress.rate("bytes", num("-1"))).isEmpty();
    }

    @Test
    void timeLeftIsRoundedUpInTheLargestUnitsThatFit() {
        assertThat(Progress.eta(num("0.2"))).isEqualTo("ETA 1s");
        assertThat(Progress.eta(num("59"))).isEqualTo("ETA 59s");
        assertThat(Progress.eta(num("187"))).isEqualTo("ETA 3m07s");
        assertThat(Progress.eta(num("7500"))).isEqualTo("ETA 2h05m");
        assertThat(Progress.eta(Json.Null.INSTANCE)).isEmpty();
        assertThat(Progress.eta(num("1e300"))).isEmpty();
    }

    @Test
    void aBarIsEmptyWithoutATotalAndNeverOverflows() {
        assertThat(Progress.bar(num("5"), num("10"), 10)).isEqualTo("[#####-----]");
        assertThat(Progress.bar(num("5"), num("0"), 4)).isEqualTo("[----]");
        assertThat(Progress.bar(num("50"), num("10"), 4)).isEqualTo("[####]");
    }

    @Test
    void cuttingCountsCodePointsAndMarksTheCut() {
        assertThat(WatchView.cut("abcdef", 6)).isEqualTo("abcdef");
        assertThat(WatchView.cut("abcdefg", 6)).isEqualTo("abc...");
        assertThat(WatchView.cut("🚀🚀🚀🚀🚀🚀🚀", 5)).isEqualTo("🚀🚀...");
        assertThat(WatchView.cut("abcdef", 2)).isEqualTo("ab");
    }
}
