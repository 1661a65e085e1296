package io.tickerplant.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema, as ordered SQL migrations in {@code db/migration/V<n>__<description>.sql}, each applied once
 * and recorded in {@code schema_version}.
 *
 * <p>{@link #migrate} is idempotent and safe to call from every process at startup: one advisory lock serializes
 * concurrent callers, and all pending migrations run in one transaction (PostgreSQL DDL is transactional), so a
 * failure leaves the schema exactly as it was.
 *
 * <p>The storage layout of {@code trades} ({@link StorageLayout}) is picked when the table is created: a TimescaleDB
 * hypertable when the {@code timescaledb} extension is installed or can be installed, native daily range partitions
 * otherwise. A migration {@code V<n>__x.sql} may have a companion {@code V<n>__x.timescale.sql} that runs right
 * after it only in the TimescaleDB layout; that and {@link #enableTimescale} are all the TimescaleDB-specific code.
 */
public final class StoreSchema {
    private StoreSchema() {
    }

    private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);

    /** In order. A new migration is appended here and added as a resource; applied ones are never edited. */
    static final List<String> MIGRATIONS = List.of("V1__trades.sql", "V2__candles.sql", "V3__reference_prices.sql",
        "V4__bbo_index.sql", "V5__accuracy.sql", "V6__daily_partitions.sql", "V7__liquidations_funding.sql");

    private static final String LOCATION = "/db/migration/";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");
    /** Any constant works; it only has to differ from other advisory locks taken on the same database. */
    private static final long MIGRATION_LOCK = 0x7470_5343_4845_4d41L;

    /**
     * What {@link #migrate} found and did.
     *
     * @param layout  the layout of {@code trades}
     * @param version the schema version after migrating
     * @param applied the versions applied by this call, in order; empty when the schema was already current
     */
    public record Result(StorageLayout layout, int version, List<Integer> applied) {
    }

    /** Brings the schema up to date, choosing the layout automatically if {@code trades} does not exist yet. */
    public static Result migrate(Connection c) throws SQLException {
        return migrate(c, null);
    }

    /**
     * Brings the schema up to date with the given layout ({@code null}: automatic). Runs and commits its own
     * transaction, so it must not be called inside one; the connection's auto-commit setting is restored.
     *
     * @throws IllegalStateException if {@code trades} already exists in another layout, or TIMESCALE is required
     *                               and the extension cannot be enabled
     */
    public static Result migrate(Connection c, StorageLayout required) throws SQLException {
        return migrate(c, required, Integer.MAX_VALUE);
    }

    /** Up to version {@code upTo} only: for tests that migrate a database holding an older schema's rows. */
    static Result migrate(Connection c, StorageLayout required, int upTo) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                + " version int PRIMARY KEY,"
                + " description text NOT NULL,"
                + " checksum bigint NOT NULL,"
                + " applied_at timestamptz NOT NULL DEFAULT now())");
            Map<Integer, Long> done = appliedChecksums(c);
            StorageLayout layout = chooseLayout(c, required);
            List<Integer> applied = new ArrayList<>();
            int version = 0;
            for (String name : MIGRATIONS) {
                Matcher m = NAME.matcher(name);
                if (!m.matches()) {
                    throw new IllegalStateException("migration name " + name + " is not V<n>__<description>.sql");
                }
                int v = Integer.parseInt(m.group(1));
                if (v > upTo) {
                    break;
                }
                if (v <= version) {
                    throw new IllegalStateException("migration " + name + " is out of order");
                }
                version = v;
                String sql = resource(name);
                long checksum = checksum(sql);
                Long recorded = done.get(v);
                if (recorded != null) {
                    if (recorded != checksum) {
                        log.warn("Migration {} was changed after it was applied; the database keeps the old version",
                            name);
                    }
                    continue;
                }
                st.execute(substitute(sql, Map.of(
                    "partition_by", layout == StorageLayout.PARTITIONED ? "PARTITION BY RANGE (event_time)" : "")));
                if (layout == StorageLayout.TIMESCALE) {
                    String companion = optionalResource(name.replace(".sql", ".timescale.sql"));
                    if (companion != null) {
                        st.execute(companion);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, m.group(2).replace('_', ' '));
                    ps.setLong(3, checksum);
                    ps.executeUpdate();
                }
                applied.add(v);
                log.info("Applied migration {} ({} layout)", name, layout);
            }
            int newest = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (newest > version) {
                log.warn("Database schema is at version {}, newer than this code knows ({})", newest, version);
            }
            c.commit();
            return new Result(layout, Math.max(version, newest), List.copyOf(applied));
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The layout of the existing {@code trades} table, or empty when there is none (not migrated yet). */
    public static Optional<StorageLayout> layout(Connection c) throws SQLException {
        String relkind;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT relkind FROM pg_class WHERE oid = to_regclass('trades')")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            relkind = rs.getString(1);
        }
        if ("p".equals(relkind)) {
            return Optional.of(StorageLayout.PARTITIONED);
        }
        if (isHypertable(c)) {
            return Optional.of(StorageLayout.TIMESCALE);
        }
        throw new IllegalStateException("table trades exists but is neither partitioned nor a TimescaleDB hypertable;"
            + " it was not created by StoreSchema");
    }

    /** The highest applied migration version, 0 for an empty database. */
    public static int version(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static StorageLayout chooseLayout(Connection c, StorageLayout required) throws SQLException {
        Optional<StorageLayout> existing = layout(c);
        if (existing.isPresent()) {
            if (required != null && required != existing.get()) {
                throw new IllegalStateException("table trades already exists with the " + existing.get()
                    + " layout; it cannot be changed to " + required);
            }
            return existing.get();
        }
        if (required == StorageLayout.PARTITIONED) {
            return StorageLayout.PARTITIONED;
        }
        String whyNot = enableTimescale(c);
        if (whyNot == null) {
            return StorageLayout.TIMESCALE;
        }
        if (required == StorageLayout.TIMESCALE) {
            throw new IllegalStateException("the TIMESCALE layout was requested but " + whyNot);
        }
        log.info("Using native daily partitions for trades: {}", whyNot);
        return StorageLayout.PARTITIONED;
    }

    /** Enables the timescaledb extension if it is available; returns null on success, otherwise the reason. */
    static String enableTimescale(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                 "SELECT installed_version FROM pg_available_extensions WHERE name = 'timescaledb'")) {
            if (!rs.next()) {
                return "the timescaledb extension is not available on this server";
            }
            if (rs.getString(1) != null) {
                return null;
            }
        }
        // Installing can fail even when the extension is available (not in shared_preload_libraries, or not
        // permitted for this user); the savepoint keeps the migration transaction usable so we can fall back.
        Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            if (sp != null) {
                c.releaseSavepoint(sp);
            }
            log.info("Enabled the timescaledb extension");
            return null;
        } catch (SQLException e) {
            if (sp != null) {
                c.rollback(sp);
            }
            log.warn("The timescaledb extension is available but could not be enabled: {}", SqlErrors.describe(e));
            return "the timescaledb extension could not be enabled (" + SqlErrors.describe(e) + ")";
        }
    }

    private static boolean isHypertable(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('timescaledb_information.hypertables') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return false;
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM timescaledb_information.hypertables"
                 + " WHERE hypertable_name = 'trades' AND hypertable_schema = current_schema()")) {
            return rs.next();
        }
    }

    private static Map<Integer, Long> appliedChecksums(Connection c) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    static String substitute(String sql, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("migration uses unknown placeholder ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static long checksum(String sql) {
        CRC32 crc = new CRC32();
        crc.update(sql.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static String resource(String name) {
        String sql = optionalResource(name);
        if (sql == null) {
            throw new IllegalStateException("migration " + LOCATION + name + " is missing from the classpath");
        }
        return sql;
    }

    private static String optionalResource(String name) {
        try (InputStream in = StoreSchema.class.getResourceAsStream(LOCATION + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
