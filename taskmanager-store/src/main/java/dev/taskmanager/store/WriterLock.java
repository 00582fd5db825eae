package dev.taskmanager.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One recording store per SQLite directory: an exclusive lock on {@value #FILE} beside the database,
 * held while the store is open. Two servers recording into one data directory would each take the
 * other's running tasks for tasks of a previous run (they share the node name), so the second is
 * refused at start. The operating system drops the lock when its process dies, {@code kill -9}
 * included, so a crash never leaves it behind. Readers (a store opened without a task manager) take
 * no lock.
 */
final class WriterLock implements AutoCloseable {
    static final String FILE = "writer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory}.
     *
     * @throws HistoryStoreException if another store, in this process or another, holds it
     */
    static WriterLock acquire(Path directory) {
        Path file = directory.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new WriterLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by this process: refused below like any other holder
        } catch (IOException e) {
            closeQuietly(channel);
            throw new HistoryStoreException("SQLite " + directory + ": cannot lock " + file + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);
        throw new HistoryStoreException("SQLite " + directory + " is recorded into by another server (it holds "
                + file + "); give each server its own --data-dir", null);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
