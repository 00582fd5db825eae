package dev.taskmanager.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code X-Request-Id} an abort with a reason sends, which the server records as who asked:
 * {@code cli-<user>@<host>-<8 hex digits>}, e.g. {@code cli-alice@db7-3f09a1c2}. The user is the
 * JVM's {@code user.name}; the host is the kernel's host name ({@code /proc/sys/kernel/hostname},
 * else {@code /etc/hostname}, else {@code HOSTNAME}), read from a file rather than resolved, since
 * a lookup can hang on a broken resolver; the random part tells two requests of the same person
 * apart. Anything but letters, digits, {@code .}, {@code _} and {@code -} becomes {@code _}, and
 * each part is cut to 64 characters: a header must be printable, and the server takes 200
 * characters at most. Stateless.
 */
final class Requester {

    private static final int MAX_PART = 64;

    private Requester() {
    }

    /** A new request id for this user on this host. */
    static String requestId() {
        return "cli-" + clean(System.getProperty("user.name", "")) + "@" + clean(hostName()) + "-"
                + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    private static String hostName() {
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String name = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no such file: the next source
            }
        }
        String name = System.getenv("HOSTNAME");
        return name == null ? "" : name;
    }

    /** The part with every character outside {@code [A-Za-z0-9._-]} replaced; {@code unknown} if empty. */
    static String clean(String part) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < part.length() && sb.length() < MAX_PART; i++) {
            char c = part.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            sb.append(safe ? c : '_');
        }
        return sb.length() == 0 ? "unknown" : sb.toString();
    }
}
