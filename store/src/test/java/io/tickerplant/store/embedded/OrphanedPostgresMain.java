package io.tickerplant.store.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link LocalPostgresRecoveryIT}: starts a server, writes a row, says READY and waits to
 * be killed, leaving the server behind.
 */
public final class OrphanedPostgresMain {
    private OrphanedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalPostgres pg = LocalPostgres.builder(Path.of(args[0])).port(Integer.parseInt(args[1])).start();
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survivor (note text)");
            st.execute("INSERT INTO survivor VALUES ('written before the kill')");
        }
        System.out.println("READY " + pg.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
