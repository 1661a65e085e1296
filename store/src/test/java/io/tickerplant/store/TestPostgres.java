package io.tickerplant.store;

import io.tickerplant.store.embedded.LocalPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The tests' database server and a fresh database per test, so tests sharing a server never see each other. */
final class TestPostgres {
    private TestPostgres() {
    }

    /** Durability off: test data is disposable, and commits without fsync keep the suite quick. */
    static LocalPostgres start(Path dir) throws IOException {
        return LocalPostgres.builder(dir).durable(false).start();
    }

    static ConnectionFactory freshDatabase(LocalPostgres pg, String name) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + name;
        return () -> DriverManager.getConnection(url, pg.user(), pg.password());
    }
}
