package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Page tokens: a round trip, and a refusal of every token this server did not issue for this listing. */
class PageTokensTest {
    private static final String FILTERS = "module=files&order_by=created_time";
    private static final PageTokens.Position POSITION = new PageTokens.Position(42,
            Instant.parse("2026-11-30T00:15:12.123456789Z"), UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7"), 1234);

    private final PageTokens tokens = PageTokens.withRandomKey();

    @Test
    void aTokenNamesThePositionItWasIssuedFor() {
        String token = tokens.encode(POSITION, FILTERS);
        assertThat(token).matches("[A-Za-z0-9_-]{82}");
        assertThat(tokens.decode(token, FILTERS)).isEqualTo(POSITION);
    }

    @Test
    void everyModifiedByteIsRefused() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.encode(POSITION, FILTERS));
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] modified = bytes.clone();
                modified[i] ^= (byte) (1 << bit);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(modified);
                assertThatThrownBy(() -> tokens.decode(token, FILTERS)).as("byte %d bit %d", i, bit)
                        .isInstanceOf(ApiException.class)
                        .satisfies(e -> assertThat(((ApiException) e).parameter()).isEqualTo("page_token"));
            }
        }
    }

    @Test
    void aTokenOfAnotherServerOrOtherFiltersIsRefused() {
        String token = tokens.encode(POSITION, FILTERS);
        assertThatThrownBy(() -> PageTokens.withRandomKey().decode(token, FILTERS))
                .isInstanceOf(ApiException.class).hasMessageContaining("another server");
        assertThatThrownBy(() -> tokens.decode(token, FILTERS + "&state=running"))
                .isInstanceOf(ApiException.class).hasMessageContaining("other filters");
    }

    @Test
    void garbageIsRefusedNamingPageToken() {
        Random random = new Random(7);
        for (String garbage : new String[]{"", "x", "!!!", "AAAA", tokens.encode(POSITION, FILTERS) + "A",
                tokens.encode(POSITION, FILTERS).substring(1)}) {
            assertThatThrownBy(() -> tokens.decode(garbage, FILTERS)).isInstanceOf(ApiException.class)
                    .hasMessageContaining("parameter 'page_token'");
        }
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = PageTokens.VERSION;
            }
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThatThrownBy(() -> tokens.decode(token, FILTERS)).isInstanceOf(ApiException.class);
        }
    }
}
