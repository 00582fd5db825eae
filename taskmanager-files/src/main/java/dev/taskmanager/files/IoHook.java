package dev.taskmanager.files;

import java.io.IOException;

/**
 * A test seam around every file an operation reads or writes: tests block inside hashing to abort at
 * a known point, make a file vanish or swap it for a FIFO between its check and its open, change it
 * while it is read, count the files open at once, or fail a write as a full disk would. Production
 * code uses {@link #NONE}. Called on the threads that do the I/O; must be thread-safe.
 */
interface IoHook {
    /** Does nothing. */
    IoHook NONE = new IoHook() {
    };

    /** Before a file is looked at and opened; {@code path} is relative to the operation's directory. */
    default void opening(String path) throws IOException, InterruptedException {
    }

    /** After the file was checked to be a regular file, just before it is opened. */
    default void checked(String path) throws IOException, InterruptedException {
    }

    /** After each buffer of a file has been read and counted in progress. */
    default void read(String path, long bytesSoFar) throws IOException, InterruptedException {
    }

    /** After a file announced by {@link #opening} was closed, or failed to open. */
    default void closed(String path) {
    }

    /** Before each chunk of a written file ({@code name} is the target's) goes to the disk. */
    default void writing(String name, long bytesSoFar) throws IOException {
    }
}
