package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s history flags: syntax, defaults, and flags that do not go together. */
class HistoryOptionsTest {
    @TempDir
    Path temp;

    private static HistoryOptions parse(String... args) {
        return Serve.Arguments.parse(args).history;
    }

    @Test
    void byDefaultHistoryIsSqliteKeptSevenDaysAndAMillionTasksUnderTheHostName() {
        HistoryOptions options = parse("--api-port", "0");
        assertThat(options.store()).isEqualTo("sqlite");
        assertThat(options.enabled()).isTrue();
        assertThat(options.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(options.maxTasks()).isEqualTo(1_000_000);
        assertThat(options.nodeName()).isEqualTo(dev.taskmanager.store.HistoryStore.defaultNodeName());
        assertThat(Serve.Arguments.parse("--store", "memory", "--api-port", "0").serverArgs)
                .containsExactly("--api-port", "0");
    }

    @Test
    void agesAreWholeDaysHoursMinutesOrSecondsAnIsoDurationOrZero() {
        assertThat(HistoryOptions.parseAge("o", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(HistoryOptions.parseAge("o", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(HistoryOptions.parseAge("o", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(HistoryOptions.parseAge("o", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(HistoryOptions.parseAge("o", "PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(HistoryOptions.parseAge("o", "P2D")).isEqualTo(Duration.ofDays(2));
        assertThat(HistoryOptions.parseAge("o", "0")).isZero();
        assertThat(HistoryOptions.age(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(HistoryOptions.age(Duration.ofMinutes(90))).isEqualTo("90m");
        for (String bad : new String[] {"7", "-1d", "7 days", "PT-1H", "", "1w"}) {
            assertThatThrownBy(() -> parse("--history-retention", bad)).as(bad)
                    .hasMessageStartingWith("invalid value '" + bad + "' for option '--history-retention': expected an age");
        }
    }

    @Test
    void badValuesAndRepeatsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--store", "mysql://x")).hasMessage("invalid value 'mysql://x' for option "
                + "'--store': expected sqlite, memory or a jdbc:postgresql://HOST[:PORT]/DATABASE URL");
        assertThatThrownBy(() -> parse("--node-name", "two words")).hasMessageContaining("for option '--node-name'");
        assertThatThrownBy(() -> parse("--history-max-tasks", "lots"))
                .hasMessageContaining("invalid value 'lots' for option '--history-max-tasks'");
        assertThatThrownBy(() -> parse("--store", "memory", "--store=sqlite"))
                .hasMessage("option '--store' is given more than once");
        assertThatThrownBy(() -> parse("--store"))
                .hasMessage("option '--store' needs a value");
    }

    @Test
    void flagsThatDoNotGoTogetherAreRefusedNamingBoth() {
        assertThatThrownBy(() -> parse("--store-user", "tm"))
                .hasMessage("option '--store-user' is for --store jdbc:postgresql://..., not --store sqlite");
        assertThatThrownBy(() -> parse("--store", "memory", "--history-retention", "1d"))
                .hasMessage("option '--history-retention' has no effect with --store memory, which keeps no history");
    }

    @Test
    void thePasswordComesFromAFileLessOneTrailingNewline() throws Exception {
        Path file = Files.writeString(temp.resolve("password"), "s3cret\n");
        HistoryOptions options = parse("--store", "jdbc:postgresql://db/tasks", "--store-user", "tm",
                "--store-password-file", file.toString());
        assertThat(options.password()).isEqualTo("s3cret");
        assertThat(options.user()).isEqualTo("tm");
        assertThat(options.postgres()).isTrue();
        assertThatThrownBy(() -> parse("--store", "jdbc:postgresql://db/tasks", "--store-password-file",
                temp.resolve("missing").toString()))
                .hasMessageStartingWith("invalid value '" + temp.resolve("missing") + "' for option "
                        + "'--store-password-file': cannot read it");
    }

    @Test
    void serveWithAStoreItCannotReachRefusesToStartNamingIt() {
        Run run = Run.main("serve", "--api-port", "0", "--data-dir", temp.resolve("data").toString(),
                "--store", "jdbc:postgresql://127.0.0.1:1/none?user=u&password=secret");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("history store: PostgreSQL jdbc:postgresql://127.0.0.1:1/none?user=u&password=***")
                .doesNotContain("secret");
    }

    @Test
    void fleetFlagsAreForAPostgresStoreAndAreCheckedNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> parse("--advertise-address", "node-1:10000"))
                .hasMessage("option '--advertise-address' is for a fleet on --store jdbc:postgresql://...; "
                        + "--store sqlite serves one node only");
        assertThatThrownBy(() -> parse("--store", "memory", "--lease-interval", "1s"))
                .hasMessageStartingWith("option '--lease-interval' is for a fleet");
        assertThatThrownBy(() -> parse("--store", "jdbc:postgresql://db/tasks", "--advertise-address", "a b"))
                .hasMessageStartingWith("invalid value 'a b' for option '--advertise-address': expected HOST:PORT");
        assertThatThrownBy(() -> parse("--store", "jdbc:postgresql://db/tasks", "--advertise-address", "node:70000"))
                .hasMessageStartingWith("invalid value 'node:70000' for option '--advertise-address'");
        assertThatThrownBy(() -> parse("--store", "jdbc:postgresql://db/tasks", "--lease-interval", "5ms"))
                .hasMessageStartingWith("invalid value '5ms' for option '--lease-interval': expected a duration");
        assertThatThrownBy(() -> parse("--store", "jdbc:postgresql://db/tasks", "--lease-interval", "2s",
                "--lease-duration", "5s")).hasMessage("option '--lease-duration' (5s) must be at least three times "
                + "'--lease-interval' (2s), so that a late renewal does not lose the lease");

        HistoryOptions options = parse("--store", "jdbc:postgresql://db/tasks", "--advertise-address",
                "[::1]:10000", "--lease-interval", "500ms", "--lease-duration", "PT5S");
        assertThat(options.advertiseAddress()).isEqualTo("[::1]:10000");
        assertThat(options.leaseInterval()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(options.leaseDuration()).isEqualTo(java.time.Duration.ofSeconds(5));
    }
}
