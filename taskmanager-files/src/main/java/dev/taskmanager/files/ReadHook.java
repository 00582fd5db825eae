package dev.taskmanager.files;

import java.io.IOException;

/**
 * A test seam around every file an operation reads: tests block inside hashing to abort at a known
 * point, make a file vanish just before it is opened, or count the files open at once. Production
 * code uses {@link #NONE}. Called on the thread that hashes; must be thread-safe.
 */
interface ReadHook {
    /** Does nothing. */
    ReadHook NONE = new ReadHook() {
    };

    /** Before a file is opened. */
    default void opening(String path) throws IOException, InterruptedException {
    }

    /** After each buffer of a file has been read and counted in progress. */
    default void read(String path, long bytesSoFar) throws IOException, InterruptedException {
    }

    /** After a file opened by this hook's {@link #opening} call was closed, or failed to open. */
    default void closed(String path) {
    }
}
