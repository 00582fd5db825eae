package dev.taskmanager.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The token sent as {@code Authorization: Bearer <token>} to a server started with
 * {@code --auth-token-file}, and where it came from, for messages. Its value is never printed:
 * {@link #toString()} names the source only, and no message of the CLI contains the value.
 *
 * <p>Where it comes from ({@link #resolve}): {@code --token-file FILE} when given, else the
 * environment variable {@value #VARIABLE} when set and not empty, else nowhere (no header is
 * sent). The file's first line, trimmed, is the token, as with the server's
 * {@code --auth-token-file}; like ssh with a private key, the CLI refuses a token file that group
 * or others have any permission on, and one that is not a regular file (a FIFO would block).
 * Only visible ASCII may be in a token (it travels in an HTTP header).
 *
 * @param value  the token
 * @param source {@code TASKMANAGER_TOKEN} or {@code --token-file <file>}
 */
record BearerToken(String value, String source) {

    /** The environment variable read when no {@code --token-file} is given. */
    static final String VARIABLE = "TASKMANAGER_TOKEN";

    /** Reading stops here: a first line longer than this is not a token. */
    private static final int MAX_BYTES = 4096;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /**
     * The token to send, or {@code null} for none.
     *
     * @param tokenFile the {@code --token-file} given, or {@code null}
     * @param env       the process environment
     * @throws CliException exit code 2, when the file cannot be used or the token cannot be sent
     */
    static BearerToken resolve(String tokenFile, Function<String, String> env) {
        if (tokenFile != null) {
            String source = "--token-file " + tokenFile;
            return checked(readFirstLine(Path.of(tokenFile), tokenFile), source);
        }
        String fromEnv = env.apply(VARIABLE);
        if (fromEnv == null || fromEnv.isBlank()) {
            return null;
        }
        return checked(fromEnv.strip(), VARIABLE);
    }

    /** {@code Bearer <token>}, the header value. */
    String header() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "BearerToken[from " + source + "]";
    }

    private static BearerToken checked(String value, String source) {
        if (value.isEmpty()) {
            throw bad("the token from " + source + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~') {
                throw bad("the token from " + source + " holds a character that cannot be sent in "
                        + "an HTTP header (at position " + (i + 1) + "); a token is visible ASCII");
            }
        }
        return new BearerToken(value, source);
    }

    private static String readFirstLine(Path file, String typed) {
        try {
            checkPermissions(file, typed);
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(MAX_BYTES + 1);
            }
            int end = 0;
            while (end < head.length && head[end] != '\n') {
                end++;
            }
            if (end > MAX_BYTES) {
                throw bad("the first line of token file '" + typed + "' is longer than "
                        + MAX_BYTES + " bytes");
            }
            return new String(head, 0, end, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw bad("cannot read token file '" + typed + "': " + CliException.fileProblem(e));
        }
    }

    private static void checkPermissions(Path file, String typed) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException notPosix) {
            if (!Files.isRegularFile(file)) {
                throw bad("token file '" + typed + "' is not a regular file");
            }
            return;
        }
        if (!attributes.isRegularFile()) {
            throw bad("token file '" + typed + "' is not a regular file");
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw bad("permissions " + PosixFilePermissions.toString(attributes.permissions())
                    + " for token file '" + typed + "' are too open: group and others must have "
                    + "no access to it (chmod 600 '" + typed + "')");
        }
    }

    private static CliException bad(String message) {
        return new CliException(CliException.BAD_ARGUMENTS, "error: " + message);
    }
}
