package io.tickerplant.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresIT {
    @TempDir
    static Path shared;
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws IOException {
        pg = LocalPostgres.start(shared);
        System.out.println("LocalPostgres first start (initdb): " + pg.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void createsTheTickerplantDatabaseDurableAndReachableOnlyOverLoopbackTcp() throws SQLException {
        try (Connection c = pg.connect()) {
            assertThat(single(c, "SELECT current_database()")).isEqualTo("tickerplant");
            assertThat(single(c, "SHOW fsync")).isEqualTo("on");
            assertThat(single(c, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(single(c, "SHOW listen_addresses")).isEqualTo("localhost");
            assertThat(single(c, "SHOW unix_socket_directories")).isEmpty();
            assertThat(single(c, "SELECT datcollate FROM pg_database WHERE datname = current_database()"))
                .isEqualTo("C");
        }
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/tickerplant");
        assertThat(pg.psqlUrl()).isEqualTo("postgresql://postgres@127.0.0.1:" + pg.port() + "/tickerplant");
    }

    @Test
    void psqlAcceptsTheUrl() throws Exception {
        Path psql = Path.of("/usr/bin/psql");
        assumeThat(Files.isExecutable(psql)).as("psql installed").isTrue();

        Process p = new ProcessBuilder(psql.toString(), pg.psqlUrl(), "-tAc", "SELECT current_database()")
            .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
            .isEqualTo("tickerplant");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void keepsDataAcrossStopAndStartWithTheSameDirectory(@TempDir Path dir) throws Exception {
        try (LocalPostgres first = LocalPostgres.start(dir); Connection c = first.connect();
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (x int)");
            st.execute("INSERT INTO kept VALUES (1), (2), (3)");
        }

        try (LocalPostgres again = LocalPostgres.start(dir); Connection c = again.connect()) {
            System.out.println("LocalPostgres restart with existing data: " + again.startupTime().toMillis() + " ms");
            assertThat(single(c, "SELECT sum(x) FROM kept")).isEqualTo("6");
            assertThat(again.startupTime()).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void startsOnTheRequestedPortAndOtherDatabase(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (LocalPostgres other = LocalPostgres.builder(dir).port(port).database("other").start();
             Connection c = other.connect()) {
            assertThat(other.port()).isEqualTo(port);
            assertThat(other.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/other");
            assertThat(single(c, "SELECT current_database()")).isEqualTo("other");
        }
    }

    @Test
    void aBusyPortFailsAtOnceNamingThePort(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            long t0 = System.nanoTime();

            assertThatThrownBy(() -> LocalPostgres.builder(dir).port(port).start())
                .isInstanceOf(BindException.class)
                .hasMessageContaining("port " + port + " is already in use");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void thePortOfARunningServerCountsAsBusy(@TempDir Path dir) {
        assertThatThrownBy(() -> LocalPostgres.builder(dir).port(pg.port()).start())
            .isInstanceOf(BindException.class)
            .hasMessageContaining(Integer.toString(pg.port()));
    }

    @Test
    void aDirectoryInUseIsRefused() {
        assertThatThrownBy(() -> LocalPostgres.start(shared))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("already used by a PostgreSQL started in this JVM");
    }

    @Test
    void closeIsIdempotent(@TempDir Path dir) throws Exception {
        LocalPostgres p = LocalPostgres.start(dir);
        p.close();
        p.close();
        assertThatThrownBy(p::connect).isInstanceOf(SQLException.class);
    }

    @Test
    void rejectsBadSettingsBeforeStarting(@TempDir Path dir) {
        assertThatThrownBy(() -> LocalPostgres.builder(dir).port(70000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> LocalPostgres.builder(dir).database("Robert'); DROP"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
