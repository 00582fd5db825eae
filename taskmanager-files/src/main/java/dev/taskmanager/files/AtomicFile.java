package dev.taskmanager.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see the old content or the whole new one, never a part, and so that
 * a failure leaves nothing behind: the content goes to a temporary file beside the target, which is
 * forced to the device ({@code fsync}) and then renamed over the target; the directory is synced
 * after the rename. On any failure (a full disk, an abort) the temporary file is closed and deleted
 * before the exception leaves.
 *
 * <p>Temporary files are named {@code .<target>.<pid>.<16 hex digits>.tmp}. A process killed while
 * writing leaves one behind; {@link #removeStale} deletes those whose process is gone (or that carry
 * this process's id without being written by it: a restarted container often gets the same pid).
 * A temporary file of a live process is never touched.
 *
 * <p>Thread-safe.
 */
final class AtomicFile {
    /** Bytes handed to the channel per write. */
    static final int CHUNK = 64 << 10;

    private static final long PID = ProcessHandle.current().pid();
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(\\d{1,19})\\.([0-9a-f]{16})\\.tmp");
    private static final int NAME_PART = 50;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temporary files this process is writing now, by name (the random part makes names unique). */
    private static final Set<String> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private AtomicFile() {
    }

    /** Where content goes, one buffer at a time. */
    @FunctionalInterface
    interface Sink {
        void write(ByteBuffer bytes) throws IOException;
    }

    /** Content that writes itself to a sink. */
    @FunctionalInterface
    interface Content {
        void writeTo(Sink sink) throws IOException;
    }

    /**
     * Writes {@code content} to {@code name} in {@code directory}.
     *
     * @param replace whether an existing {@code name} may be replaced; if not, and {@code name} exists
     *                when the content is complete, nothing is written. (Between that check and the
     *                rename a file created by someone else would still be replaced: Java cannot rename
     *                without replacing, relative to a directory.)
     * @param hook    called before each chunk is written (a test seam for a full disk)
     * @param pulse   beaten per chunk; a cancelled pulse stops the write, leaving nothing behind
     * @throws java.nio.file.FileAlreadyExistsException if {@code name} exists and {@code replace} is false
     */
    static void write(OpenDirectory directory, String name, boolean replace, Content content, IoHook hook,
                      IoGuard.Pulse pulse) throws IOException {
        removeStale(directory, name);
        String temporary = temporaryName(name);
        IN_FLIGHT.add(temporary);
        boolean renamed = false;
        try {
            try (SeekableByteChannel channel = directory.create(temporary)) {
                long[] written = {0};
                content.writeTo(bytes -> {
                    pulse.check();
                    hook.writing(name, written[0]);
                    while (bytes.hasRemaining()) {
                        written[0] += channel.write(bytes);
                    }
                });
                if (channel instanceof FileChannel) {
                    ((FileChannel) channel).force(true);
                }
            }
            if (!replace) {
                requireAbsent(directory, name);
            }
            // A writer given up on (an fsync slower than the stall timeout) must not rename after all.
            pulse.check();
            directory.rename(temporary, name);
            renamed = true;
            directory.sync();
        } finally {
            if (!renamed) {
                try {
                    directory.delete(temporary);
                } catch (IOException e) {
                    // NoSuchFileException: never created; anything else: removeStale gets it next time
                }
            }
            IN_FLIGHT.remove(temporary);
        }
    }

    private static void requireAbsent(OpenDirectory directory, String name) throws IOException {
        try {
            directory.stat(name);
        } catch (NoSuchFileException e) {
            return;
        }
        throw new java.nio.file.FileAlreadyExistsException(directory.path.resolve(name).toString(), null,
                "exists, and replacing it was not asked for");
    }

    /**
     * Deletes the temporary files in {@code directory} left by writers that are gone: those of
     * {@code target} only, or all of them if {@code target} is null.
     *
     * @return how many were deleted
     */
    static int removeStale(OpenDirectory directory, String target) throws IOException {
        String wanted = target == null ? null : namePart(target);
        int removed = 0;
        for (String entry : directory.names()) {
            Matcher matcher = TEMPORARY.matcher(entry);
            if (!matcher.matches() || IN_FLIGHT.contains(entry)
                    || (wanted != null && !matcher.group(1).equals(wanted))) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(matcher.group(2));
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid != PID && ProcessHandle.of(pid).isPresent()) {
                continue; // its writer may be alive (or the pid was reused): leave it
            }
            try {
                if (directory.stat(entry).isRegularFile()) {
                    directory.delete(entry);
                    removed++;
                }
            } catch (IOException e) {
                // gone already, or not ours to delete
            }
        }
        return removed;
    }

    /** Whether {@code name} looks like a temporary file of this class. */
    static boolean isTemporary(String name) {
        return TEMPORARY.matcher(name).matches();
    }

    private static String temporaryName(String target) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return "." + namePart(target) + "." + PID + "." + HexFormat.of().formatHex(random) + ".tmp";
    }

    /** The target's name as it appears in its temporary files: cut so that the name stays within 255 bytes even in UTF-8. */
    private static String namePart(String target) {
        int end = target.length() <= NAME_PART ? target.length() : NAME_PART;
        if (end < target.length() && Character.isHighSurrogate(target.charAt(end - 1))) {
            end--;
        }
        return target.substring(0, end);
    }
}
