package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database: the embedded PostgreSQL, or an external PostgreSQL/TimescaleDB that must answer at start. Either
 * way the schema is brought up to date here, before any connector writes.
 */
public final class PostgresComponent implements Component {

    private static final Logger log = LoggerFactory.getLogger(PostgresComponent.class);

    private final String externalJdbcUrl;
    private final Path dataDir;
    private final int port;
    private LocalPostgres local;

    private PostgresComponent(String externalJdbcUrl, Path dataDir, int port) {
        this.externalJdbcUrl = externalJdbcUrl;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Embedded unless {@code postgres.jdbc.url} is set. */
    public static PostgresComponent from(PlatformConfig config) {
        return new PostgresComponent(config.postgresJdbcUrl().orElse(null), config.postgresDataDir(),
                config.postgresPort());
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void start() throws Exception {
        if (externalJdbcUrl == null) {
            try {
                local = LocalPostgres.builder(dataDir).port(port).start();
            } catch (java.net.BindException e) {
                throw new IllegalStateException(e.getMessage() + ": set "
                        + PlatformConfig.settingHint(PlatformConfig.POSTGRES_PORT) + " to a free port", e);
            }
        }
        try (Connection c = connect()) {
            StoreSchema.Result r = StoreSchema.migrate(c);
            log.info("postgres schema version {} ({} layout){}", r.version(), r.layout(),
                    r.applied().isEmpty() ? "" : ", applied " + r.applied());
        }
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws java.sql.SQLException {
        return local != null ? local.connect() : DriverManager.getConnection(externalJdbcUrl);
    }

    /** The JDBC URL the sink connector uses. */
    public String jdbcUrl() {
        return local != null ? local.jdbcUrl() : externalJdbcUrl;
    }

    /** The user to connect as, when the URL does not carry one. */
    public String user() {
        return local != null ? local.user() : "";
    }

    @Override
    public Optional<String> endpoint() {
        return Optional.of(local != null ? local.psqlUrl() : externalJdbcUrl.replaceAll("password=[^&]*", "password=***"));
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
