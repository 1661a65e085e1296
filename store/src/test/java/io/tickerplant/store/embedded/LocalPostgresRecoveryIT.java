package io.tickerplant.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with its server running (kill -9, the OOM killer) leaves the server behind; the next start copes. */
class LocalPostgresRecoveryIT {

    @Test
    void startsAgainOnTheSameDirectoryAfterTheJvmThatRanItWasKilled(@TempDir Path dir) throws Exception {
        int port = LocalPostgresIT.freePort();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), OrphanedPostgresMain.class.getName(), dir.toString(),
            Integer.toString(port))
            .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("READY")) {
                            return line;
                        }
                    }
                    return "child exited";
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(ready).isEqualTo("READY " + port);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // The orphaned server still holds the directory and the port; start() must stop it, not time out.
        try (LocalPostgres pg = LocalPostgres.builder(dir).port(port).startupTimeout(Duration.ofSeconds(20)).start();
             Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM survivor")) {
            System.out.println("LocalPostgres start after a killed JVM: " + pg.startupTime().toMillis() + " ms");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written before the kill");
            assertThat(pg.startupTime()).isLessThan(Duration.ofSeconds(10));
        }
    }
}
