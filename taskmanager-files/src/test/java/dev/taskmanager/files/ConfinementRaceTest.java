package dev.taskmanager.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: swapping a directory for a symbolic link in a loop made 11 of 400 manifests hash a file
 * outside {@code --allow-path}, and 14 of 128 verifications quote the first line of an outside file
 * in their error. See {@link ConfinementRace} for the attack; this runs 240 attempts.
 */
class ConfinementRaceTest {

    @TempDir
    Path temp;

    @Test
    void noOperationReachesOutsideTheAllowedRootWhileADirectoryIsSwappedForALinkInALoop() throws Exception {
        ConfinementRace.Result result = ConfinementRace.run(temp, 240);

        assertThat(result.escapes()).as(result.toString()).isEmpty();
        assertThat(result.escaped()).isZero();
        assertThat(result.done() + result.failed() + result.refused()).isEqualTo(240);
        assertThat(result.swaps()).as("the swap loop ran").isPositive();
    }
}
