package dev.taskmanager.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Page tokens of {@code GET /v2/tasks}: opaque to clients, tamper-evident, versioned. A token holds
 * where the previous page ended (the ordering key of its last task: sequence number, creation time,
 * id) and the total the listing counted on its first page, and is signed with HMAC-SHA256 under a
 * key drawn at random when the server starts, over its content and the listing's filters and order.
 * So a token that was modified, made up, issued by another server (or by this one before a
 * restart), or replayed with other filters or another order fails its check and is refused with a
 * 400 naming {@code page_token}: never a wrong page.
 *
 * <p>Format (version 1), base64url without padding, 82 characters: one version byte ({@code 1}),
 * the sequence number (8 bytes), the creation time as epoch seconds (8) and nanoseconds (4), the id
 * (16), the total (8), then the first 16 bytes of
 * {@code HMAC-SHA256(key, every byte before + UTF-8 of the listing's canonical filters)}. Nothing in
 * it is secret (clients can decode the key of the last task they already saw); the signature only
 * makes it unforgeable. Thread-safe.
 */
final class PageTokens {
    static final byte VERSION = 1;
    private static final int PAYLOAD = 1 + 8 + 8 + 4 + 16 + 8;
    private static final int MAC_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    PageTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a page token key needs at least 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** Tokens signed with a fresh random key: every server (and every start) issues its own. */
    static PageTokens withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new PageTokens(key);
    }

    /**
     * Where a listing continues.
     *
     * @param sequenceNumber the last task's sequence number
     * @param createdTime    the last task's creation time
     * @param id             the last task's id
     * @param totalSize      the total counted on the first page
     */
    record Position(long sequenceNumber, Instant createdTime, UUID id, long totalSize) {
    }

    /** The token for continuing after {@code position} with a listing of these canonical filters. */
    String encode(Position position, String filters) {
        ByteBuffer bytes = ByteBuffer.allocate(PAYLOAD + MAC_BYTES);
        bytes.put(VERSION)
                .putLong(position.sequenceNumber())
                .putLong(position.createdTime().getEpochSecond())
                .putInt(position.createdTime().getNano())
                .putLong(position.id().getMostSignificantBits())
                .putLong(position.id().getLeastSignificantBits())
                .putLong(position.totalSize());
        bytes.put(mac(bytes.array(), filters), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * The position a token names, if it was issued by this server for a listing with these filters.
     *
     * @throws ApiException 400 naming {@code page_token} otherwise
     */
    Position decode(String token, String filters) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid(token, "not a page token of this server (not base64url)");
        }
        if (bytes.length != PAYLOAD + MAC_BYTES || bytes[0] != VERSION) {
            throw invalid(token, "not a page token of this server (" + (bytes.length > 0 && bytes[0] != VERSION
                    ? "unknown version" : "wrong length") + ")");
        }
        byte[] expected = mac(bytes, filters);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(bytes, PAYLOAD, given, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(given, java.util.Arrays.copyOf(expected, MAC_BYTES))) {
            throw invalid(token, "it was modified, comes from another server or from before a restart, or was "
                    + "issued for other filters or another order; list again without page_token");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, PAYLOAD - 1);
        long sequence = in.getLong();
        long seconds = in.getLong();
        int nanos = in.getInt();
        UUID id = new UUID(in.getLong(), in.getLong());
        long total = in.getLong();
        return new Position(sequence, Instant.ofEpochSecond(seconds, nanos), id, total);
    }

    private byte[] mac(byte[] token, String filters) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(token, 0, PAYLOAD);
            mac.update(filters.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }

    private static ApiException invalid(String token, String reason) {
        return Params.invalid("page_token", token, reason);
    }
}
