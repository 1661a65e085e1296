package io.tickerplant.app.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryLockTest {

    @Test
    void aLockedDirectoryCannotBeLockedAgainUntilReleased(@TempDir Path dir) {
        Path data = dir.resolve("kafka");
        DirectoryLock first = DirectoryLock.acquire(data);

        assertThatThrownBy(() -> DirectoryLock.acquire(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(data + " is in use by another tickerplant")
                .hasMessageContaining("data.dir (--data-dir)");

        first.close();
        DirectoryLock.acquire(data).close();
    }
}
