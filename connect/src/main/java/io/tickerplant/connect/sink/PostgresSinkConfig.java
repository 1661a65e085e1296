package io.tickerplant.connect.sink;

import io.tickerplant.model.Topics;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@link PostgresSinkConnector}. Connect's own {@code topics} and {@code errors.*} keys apply too. */
public final class PostgresSinkConfig extends AbstractConfig {

    /** JDBC URL of the PostgreSQL/TimescaleDB database: jdbc:postgresql://host:port/db. */
    public static final String CONNECTION_URL = "connection.url";
    /** Database user; empty to take it from the URL ({@code ?user=}). */
    public static final String CONNECTION_USER = "connection.user";
    /** Database password; never logged. */
    public static final String CONNECTION_PASSWORD = "connection.password";
    /** Prefix of the platform's topics, to tell which table a record belongs to. */
    public static final String TOPIC_PREFIX = "topic.prefix";
    /** Wait between attempts when the database is unreachable; the batch is retried, never dropped. */
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new JdbcUrlValidator(), Importance.HIGH,
                    "JDBC URL of the PostgreSQL or TimescaleDB database, jdbc:postgresql://host:port/database.")
            .define(CONNECTION_USER, Type.STRING, "", Importance.HIGH,
                    "Database user; empty to take it from the URL (?user=...).")
            .define(CONNECTION_PASSWORD, Type.PASSWORD, "", Importance.HIGH, "Database password (never logged); empty to take it from the URL or use none.")
            .define(TOPIC_PREFIX, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "Prefix of the platform topics; <prefix>trades goes to the trades table.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, ConfigDef.Range.between(10, 600_000), Importance.LOW,
                    "Milliseconds between attempts while the database is unreachable. Batches are retried until"
                            + " they are written, never dropped.");

    public PostgresSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    public String url() { return getString(CONNECTION_URL); }
    public String user() { return getString(CONNECTION_USER); }
    public Password password() { return getPassword(CONNECTION_PASSWORD); }
    public Topics topics() { return new Topics(getString(TOPIC_PREFIX)); }
    public long retryBackoffMs() { return getLong(RETRY_BACKOFF_MS); }

    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = (String) value;
            if (s == null || !s.startsWith("jdbc:postgresql://")) {
                throw new ConfigException(name, value, "expected jdbc:postgresql://host:port/database");
            }
        }

        @Override
        public String toString() {
            return "jdbc:postgresql://host:port/database";
        }
    }
}
