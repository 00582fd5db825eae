package dev.taskmanager.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads files that hold secrets (a bearer token, a private key, a key store password) the way
 * OpenSSH reads a private key: a file that group or others may access in any way is refused, with
 * the mode and the fix in the message, since a secret that other local users can read is no secret.
 * On a file system without POSIX permissions (Windows) the check is skipped.
 */
final class SecretFiles {
    private SecretFiles() {
    }

    /**
     * The file's bytes, after checking it is a regular file that only its owner may access.
     *
     * @param what the option that named it, e.g. {@code --auth-token-file}, for messages
     * @throws IllegalArgumentException naming the option, the file and the problem
     */
    static byte[] read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '" + what
                    + "': not a regular file");
        }
        checkPrivate(file, what);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '" + what
                    + "': cannot read it: " + e.getMessage(), e);
        }
    }

    /** The file's text with surrounding white space (the trailing newline) removed; must not be empty. */
    static String readText(Path file, String what) {
        String text = new String(read(file, what), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '" + what + "': the file is empty");
        }
        return text;
    }

    /** Refuses a file that group or others may read, write or execute. */
    static void checkPrivate(Path file, String what) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '" + what
                    + "': cannot read its permissions: " + e.getMessage(), e);
        }
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        if ((mode & 0077) != 0) {
            throw new IllegalArgumentException("invalid value '" + file + "' for option '" + what
                    + "': permissions " + String.format("%04o", mode) + " are too open; it holds a secret, so "
                    + "group and others must have no access (chmod 600 " + file + ")");
        }
    }
}
