package dev.taskmanager.files;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code \r}.
 *
 * <p>Reading accepts what {@code sha256sum -c} accepts from a manifest of a tree: the binary marker
 * ({@code <hex> *<path>}), upper-case digits, CRLF line ends, blank lines, paths with {@code ./}
 * and {@code .} or empty components (as {@code find . -type f -exec sha256sum {} +} writes them;
 * {@code ./a//b} is read as {@code a/b}), and a file listed more than once with the same digest
 * (as concatenated manifests have). A file listed twice with different digests can never verify, so
 * it is refused.
 *
 * <p>Paths are relative and stay inside the tree: no leading {@code /} and no {@code ..} component.
 * A manifest that names anything else is rejected when it is read, so verification can never be
 * steered outside the directory it checks. Errors name the line by number and never quote it: a
 * manifest's content stays out of error messages, whatever file was given as a manifest.
 *
 * <p>Immutable and thread-safe.
 */
public final class Manifest {
    private static final int DIGEST_LENGTH = 64;
    /** The longest line read: a path of 4096 bytes, every character escaped, plus the digest. */
    static final int MAX_LINE = 2 * 4096 + DIGEST_LENGTH + 3;

    private final SortedMap<String, String> entries;

    private Manifest(SortedMap<String, String> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * A manifest of these entries. Paths are cleaned as when reading ({@code ./a} is {@code a}).
     *
     * @param entries SHA-256 digest (64 hex digits, any case) by relative path ({@code /} separators)
     * @throws IllegalArgumentException naming the entry, for a path that is not relative or leaves the
     *                                  tree, a digest that is not 64 hex digits, or two paths that are
     *                                  the same once cleaned but have different digests
     */
    public static Manifest of(Map<String, String> entries) {
        Objects.requireNonNull(entries, "entries");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String path = entry.getKey();
            String clean;
            try {
                clean = clean(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("path '" + path + "': the path " + e.getMessage());
            }
            String digest = entry.getValue();
            if (!isDigest(digest)) {
                throw new IllegalArgumentException("digest of '" + path + "' is not 64 hex digits: '"
                        + digest + "'");
            }
            String previous = sorted.put(clean, digest.toLowerCase(Locale.ROOT));
            if (previous != null && !previous.equals(digest.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("path '" + path + "' is listed twice with different digests");
            }
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
     * beside it, forced to the device, then renamed into place, so a reader never sees half a
     * manifest, and an existing symbolic link at {@code file} is replaced rather than followed. The
     * file gets mode {@code 0666} less the umask. On failure nothing is left behind: the temporary
     * file is closed and deleted, and {@code file} is as it was.
     *
     * @throws IOException if the directory of {@code file} cannot be written
     */
    public void write(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path name = absolute.getFileName();
        if (name == null) {
            throw new IOException(file + " is not a file name");
        }
        try (OpenDirectory directory = OpenDirectory.open(absolute.getParent(), false)) {
            AtomicFile.write(directory, name.toString(), true, this::writeTo, IoHook.NONE, new IoGuard.Pulse());
        }
    }

    /** Streams the manifest's lines, UTF-8, in chunks of {@link AtomicFile#CHUNK} bytes. */
    void writeTo(AtomicFile.Sink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(AtomicFile.CHUNK);
        StringBuilder line = new StringBuilder(DIGEST_LENGTH + 64);
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            line.setLength(0);
            appendLine(line, entry.getKey(), entry.getValue());
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > chunk.remaining()) {
                chunk.flip();
                sink.write(chunk);
                chunk.clear();
            }
            if (bytes.length > chunk.capacity()) {
                sink.write(ByteBuffer.wrap(bytes));
            } else {
                chunk.put(bytes);
            }
        }
        chunk.flip();
        if (chunk.hasRemaining()) {
            sink.write(chunk);
        }
    }

    /**
     * Reads a manifest file in {@code sha256sum} format.
     *
     * @throws IOException              if the file cannot be read or is not UTF-8
     * @throws IllegalArgumentException naming the file and the line, if a line is malformed, a path
     *                                  leaves the tree or a path is listed twice with different digests
     */
    public static Manifest read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, null);
        } catch (CharacterCodingException e) {
            throw new IOException("manifest " + file + " is not valid UTF-8", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a manifest in {@code sha256sum} format.
     *
     * @throws IllegalArgumentException naming the line, if a line is malformed, a path leaves the tree
     *                                  or a path is listed twice with different digests
     */
    public static Manifest parse(String text) {
        try {
            return parse(new StringReader(text), null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
    }

    /**
     * Parses a manifest from {@code in}, beating {@code pulse} (if given) every thousand lines.
     *
     * @throws IllegalArgumentException naming the line; see {@link #parse(String)}
     */
    static Manifest parse(Reader in, IoGuard.Pulse pulse) throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>();
        LineReader lines = new LineReader(in);
        int number = 0;
        for (String line = lines.next(number + 1); line != null; line = lines.next(number + 1)) {
            number++;
            if (pulse != null && (number & 1023) == 0) {
                pulse.check();
            }
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
                throw new IllegalArgumentException("line " + number
                        + " is not '<64 hex digits>  <path>' (nor '<64 hex digits> *<path>')");
            }
            String path = body.substring(DIGEST_LENGTH + 2);
            if (escaped) {
                path = unescape(path, number);
            }
            String clean;
            try {
                clean = clean(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": the path " + e.getMessage());
            }
            String digest = body.substring(0, DIGEST_LENGTH).toLowerCase(Locale.ROOT);
            String previous = sorted.put(clean, digest);
            if (previous != null && !previous.equals(digest)) {
                throw new IllegalArgumentException("line " + number + " lists a file that an earlier line lists "
                        + "with a different digest; it could never verify");
            }
        }
        return new Manifest(sorted);
    }

    /**
     * The path with {@code .} and empty components dropped ({@code ./a//b} is {@code a/b}).
     *
     * @throws IllegalArgumentException completing "the path ...", if it is empty, absolute, holds a NUL
     *                                  or a {@code ..} component, names the directory itself or ends
     *                                  with {@code /}
     */
    static String clean(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a NUL character");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("is absolute; manifest paths are relative to the directory");
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("ends with '/', so it names a directory, not a file");
        }
        StringBuilder clean = new StringBuilder(path.length());
        for (String component : path.split("/", -1)) {
            if (component.equals("..")) {
                throw new IllegalArgumentException("has a '..' component; manifest paths must stay inside "
                        + "the directory");
            }
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(component);
        }
        if (clean.length() == 0) {
            throw new IllegalArgumentException("names the directory itself, not a file");
        }
        return clean.toString();
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
                        + ": bad escape in the path; only \\\\, \\n and \\r are allowed");
            }
        }
        return out.toString();
    }

    /** Lines ending in {@code \n} (a final line may lack it), each at most {@link #MAX_LINE} characters. */
    private static final class LineReader {
        private final Reader in;
        private final char[] buffer = new char[8192];
        private int position;
        private int limit;
        private final StringBuilder line = new StringBuilder();

        LineReader(Reader in) {
            this.in = in;
        }

        /** The next line without its {@code \n}, or null at the end. */
        String next(int number) throws IOException {
            line.setLength(0);
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        return line.length() > 0 ? line.toString() : null;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                line.append(buffer, start, position - start);
                if (line.length() > MAX_LINE) {
                    throw new IllegalArgumentException("line " + number + " is longer than " + MAX_LINE
                            + " characters");
                }
                if (position < limit) {
                    position++; // the '\n'
                    return line.toString();
                }
            }
        }
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
