package io.tickerplant.app.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive, OS-level lock on a data directory, held while an embedded server uses it and released by the
 * OS if the process dies.
 *
 * <p>Kafka locks its log directory itself, but only once the broker starts, after the controller of a second
 * process has already written to the shared metadata log, which breaks the first process's quorum. Taking
 * this lock before anything starts turns "two processes on one data directory" into a clear error.
 */
public final class DirectoryLock implements AutoCloseable {

    // Not Kafka's own ".lock": a second lock on that file from this JVM would make Kafka's own attempt fail.
    static final String FILE_NAME = ".tickerplant.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing).
     *
     * @throws IllegalStateException when another process, or another server in this JVM, holds it
     */
    public static DirectoryLock acquire(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir);
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dir);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock data directory " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dir) {
        return new IllegalStateException("data directory " + dir + " is in use by another tickerplant: stop it, "
                + "or set data.dir (--data-dir) to another directory");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was locked through it.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
