package dev.taskmanager.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A SHA-256 manifest of a directory tree: the digest of every regular file, keyed by its path
 * relative to the tree. It is what a manifest operation produces and what verification checks
 * against, and it round-trips through the text format of GNU {@code sha256sum}, so that
 * {@code sha256sum -c} can check a tree against a manifest written here, and the other way round.
 *
 * <p>Format: one line per file, {@code <64 lowercase hex digits><two spaces><path>}, sorted by path
 * (plain {@link String} order), {@code /} as the separator, UTF-8, each line ending in {@code \n}. A
 * path holding a backslash, newline or carriage return is escaped the way {@code sha256sum} does it:
 * the line starts with {@code \}, and those characters are written {@code \\}, {@code \n},
 * {@code \r}. Reading also accepts {@code sha256sum}'s binary marker ({@code <hex> *<path>}),
 * upper-case digits, CRLF line ends and blank lines.
 *
 * <p>Paths are relative and stay inside the tree: no leading {@code /}, and no empty, {@code .} or
 * {@code ..} component. A manifest that names anything else is rejected when it is read, so
 * verification can never be steered outside the directory it checks.
 *
 * <p>Immutable and thread-safe.
 */
public final class Manifest {
    private static final int DIGEST_LENGTH = 64;

    private final SortedMap<String, String> entries;

    private Manifest(SortedMap<String, String> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * A manifest of these entries.
     *
     * @param entries SHA-256 digest (64 hex digits, any case) by relative path ({@code /} separators)
     * @throws IllegalArgumentException naming the entry, for a path that is not relative or leaves the
     *                                  tree, or a digest that is not 64 hex digits
     */
    public static Manifest of(Map<String, String> entries) {
        Objects.requireNonNull(entries, "entries");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String path = entry.getKey();
            String problem = pathProblem(path);
            if (problem != null) {
                throw new IllegalArgumentException("path '" + path + "' " + problem);
            }
            String digest = entry.getValue();
            if (!isDigest(digest)) {
                throw new IllegalArgumentException("digest of '" + path + "' is not 64 hex digits: '"
                        + digest + "'");
            }
            sorted.put(path, digest.toLowerCase(Locale.ROOT));
        }
        return new Manifest(sorted);
    }

    /** The digests (lowercase hex) by relative path, sorted by path; unmodifiable. */
    public SortedMap<String, String> entries() {
        return entries;
    }

    /** How many files the manifest lists. */
    public int size() {
        return entries.size();
    }

    /** The manifest in {@code sha256sum} format; see the class comment. */
    public String format() {
        StringBuilder text = new StringBuilder(entries.size() * (DIGEST_LENGTH + 32));
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            appendLine(text, entry.getKey(), entry.getValue());
        }
        return text.toString();
    }

    /**
     * Writes the manifest to {@code file}, replacing it atomically: the text goes to a temporary file
     * beside it which is then moved into place, so a reader never sees half a manifest, and an
     * existing symbolic link at {@code file} is replaced rather than followed.
     *
     * @throws IOException if the directory of {@code file} cannot be written
     */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder(DIGEST_LENGTH + 64);
                for (Map.Entry<String, String> entry : entries.entrySet()) {
                    line.setLength(0);
                    appendLine(line, entry.getKey(), entry.getValue());
                    out.append(line);
                }
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a manifest file in {@code sha256sum} format.
     *
     * @throws IOException              if the file cannot be read or is not UTF-8
     * @throws IllegalArgumentException naming the file and the line, if a line is malformed, a path
     *                                  leaves the tree or a path is listed twice
     */
    public static Manifest read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a manifest in {@code sha256sum} format.
     *
     * @throws IllegalArgumentException naming the line, if a line is malformed, a path leaves the tree
     *                                  or a path is listed twice
     */
    public static Manifest parse(String text) {
        try {
            return parse(new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
    }

    private static Manifest parse(BufferedReader in) throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>();
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                continue;
            }
            boolean escaped = line.startsWith("\\");
            String body = escaped ? line.substring(1) : line;
            if (body.length() < DIGEST_LENGTH + 3 || !isDigest(body.substring(0, DIGEST_LENGTH))
                    || body.charAt(DIGEST_LENGTH) != ' '
                    || (body.charAt(DIGEST_LENGTH + 1) != ' ' && body.charAt(DIGEST_LENGTH + 1) != '*')) {
                throw new IllegalArgumentException("line " + number + " is not '<64 hex digits>  <path>': '"
                        + abbreviate(line) + "'");
            }
            String path = body.substring(DIGEST_LENGTH + 2);
            if (escaped) {
                path = unescape(path, number);
            }
            String problem = pathProblem(path);
            if (problem != null) {
                throw new IllegalArgumentException("line " + number + ": path '" + path + "' " + problem);
            }
            if (sorted.put(path, body.substring(0, DIGEST_LENGTH).toLowerCase(Locale.ROOT)) != null) {
                throw new IllegalArgumentException("line " + number + ": path '" + path + "' is listed twice");
            }
        }
        return new Manifest(sorted);
    }

    /** Why {@code path} is not a relative path inside the tree, or null if it is one. */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        if (path.startsWith("/")) {
            return "is absolute; manifest paths are relative to the directory";
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                return "has an empty, '.' or '..' component; manifest paths must stay inside the directory";
            }
        }
        return null;
    }

    private static boolean isDigest(String text) {
        if (text == null || text.length() != DIGEST_LENGTH) {
            return false;
        }
        for (int i = 0; i < DIGEST_LENGTH; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void appendLine(StringBuilder out, String path, String digest) {
        boolean escape = path.indexOf('\\') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0;
        if (escape) {
            out.append('\\');
        }
        out.append(digest).append("  ");
        if (!escape) {
            out.append(path);
        } else {
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
        }
        out.append('\n');
    }

    private static String unescape(String path, int number) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = i + 1 < path.length() ? path.charAt(++i) : '\0';
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> throw new IllegalArgumentException("line " + number
                        + ": bad escape in path; only \\\\, \\n and \\r are allowed");
            }
        }
        return out.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    /** Two manifests are equal when they list the same digests for the same paths. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest && ((Manifest) other).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + entries.size() + " files]";
    }
}
