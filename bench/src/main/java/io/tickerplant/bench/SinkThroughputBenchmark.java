package io.tickerplant.bench;

import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.StoreSchema;
import io.tickerplant.store.TradeWriter;
import io.tickerplant.store.WriteResult;
import io.tickerplant.store.copy.PgCopyBuffer;
import io.tickerplant.store.copy.TradeCopy;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Rows per second that {@link TradeWriter#write} stores, against bare binary COPY of the same rows measured in the
 * same run on the same server (embedded PostgreSQL, durable: fsync and synchronous_commit on). Prints figures,
 * asserts nothing but its own bookkeeping. Replaces the store module's old {@code TradeWriterThroughput}.
 *
 * <p>Every phase writes the same {@code --rows} trades in batches of {@code --batch} (the sink's batch size), one
 * transaction per batch:
 * <ul>
 *   <li>(a1) reference: raw COPY into {@code bench_ref_indexed}, a copy of {@code trades} with the same
 *       partitions, primary key, indexes and CHECK: the most the writer could hope for;</li>
 *   <li>(a2) reference: raw COPY into {@code bench_ref_heap}, a plain logged heap with the same columns, no index,
 *       key or constraint;</li>
 *   <li>(a3) reference: raw COPY into a TEMP table {@code ON COMMIT DELETE ROWS} (not WAL-logged), the staging
 *       table of the writer's duplicate-tolerant path;</li>
 *   <li>(k*) with {@code --index-breakdown}: raw COPY into copies of {@code trades} with the primary key only, and
 *       with the key plus one secondary index each: what each index costs;</li>
 *   <li>(b) {@code TradeWriter.write}, every row new: COPY straight into {@code trades} under a savepoint;</li>
 *   <li>(c) {@code TradeWriter.write} of the same rows again, all duplicates (a Kafka redelivery): staging COPY
 *       plus {@code INSERT ... ON CONFLICT DO NOTHING}.</li>
 * </ul>
 * The machine is shared and noisy, so the phases are interleaved: the rows go in chunks of {@code --chunk}, and
 * each chunk is written by every phase in turn (forward order on even chunks, backward on odd ones), so a burst of
 * load from elsewhere hits all phases alike and ratios stay meaningful. Every table grows in step with the others.
 * A warm-up round on other keys comes first; then {@code --rounds} measured rounds, the tables emptied and a
 * CHECKPOINT before each.
 */
public final class SinkThroughputBenchmark {
    private static final String COLUMNS = TradeCopy.COLUMNS;

    private SinkThroughputBenchmark() {
    }

    private interface ChunkWriter {
        /** Writes the chunk; returns the rows it stored or, for the redelivery phase, the duplicates it found. */
        long write(List<Trade> chunk) throws Exception;
    }

    /** A phase: what it writes with, and its totals over one round. */
    private static final class Phase {
        final String name;
        final ChunkWriter writer;
        long nanos;
        long walBytes;
        long rows;
        long counted;

        Phase(String name, ChunkWriter writer) {
            this.name = name;
            this.writer = writer;
        }

        double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("SinkThroughputBenchmark: TradeWriter.write vs raw binary COPY into PostgreSQL",
            args);
        int rows = a.integer("rows", 500_000, "trades per phase and round");
        int batch = a.integer("batch", 5_000, "trades per write/COPY and per transaction (the sink's batch size)");
        int chunk = a.integer("chunk", 50_000, "trades each phase writes before the next phase's turn");
        int warmupRows = a.integer("warmup-rows", 100_000, "trades in the warm-up round (other keys)");
        int rounds = a.integer("rounds", 3, "measured rounds; the summary shows medians");
        boolean breakdown = a.bool("index-breakdown", false, "also COPY into copies with fewer indexes (+~50% time)");
        boolean durable = a.bool("durable", true, "fsync and synchronous_commit on (as the platform runs)");
        String dirFlag = a.text("dir", "", "PostgreSQL directory (default: a new temp dir, deleted afterwards)");
        if (!a.check()) {
            return;
        }
        System.out.println("# " + a.summary());
        Path dir = dirFlag.isEmpty() ? Files.createTempDirectory("tp-bench-sink") : Path.of(dirFlag);
        List<Trade> warm = SyntheticTrades.generate(warmupRows, 9_000_000_000L, 2);
        List<Trade> data = SyntheticTrades.generate(rows, 3_000_000_000L, 1);
        try (LocalPostgres pg = LocalPostgres.builder(dir.resolve("pg")).port(0).durable(durable).start();
             Connection admin = pg.connect();
             Connection ref = pg.connect()) {
            StoreSchema.Result schema = StoreSchema.migrate(admin);
            System.out.printf("# PostgreSQL %s started in %d ms, %s; trades layout %s%n", show(admin,
                "server_version"), pg.startupTime().toMillis(), settings(admin), schema.layout());
            // The writer creates the day partitions its batches need: let it, then give the reference tables the
            // very same partitions.
            try (TradeWriter w = new TradeWriter(pg::connect)) {
                w.write(warm.subList(0, Math.min(warm.size(), batch)));
            }
            List<String> tables = createReferenceTables(admin, breakdown);
            ref.setAutoCommit(true);
            try (Statement st = ref.createStatement()) {
                st.execute("SET synchronous_commit = on");
                st.execute("CREATE TEMP TABLE bench_ref_temp (LIKE trades INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            }
            ref.setAutoCommit(false);
            CopyManager copy = ref.unwrap(PGConnection.class).getCopyAPI();

            System.out.printf("%nwarm-up round, %d rows%n", warm.size());
            round(0, warm, batch, chunk, admin, ref, copy, pg, tables);
            Map<String, List<Phase>> byPhase = new LinkedHashMap<>();
            for (int r = 1; r <= rounds; r++) {
                System.out.printf("%nround %d of %d: %d rows per phase, batches of %d, interleaved in chunks of %d%n",
                    r, rounds, rows, batch, chunk);
                for (Phase p : round(r, data, batch, chunk, admin, ref, copy, pg, tables)) {
                    byPhase.computeIfAbsent(p.name, k -> new ArrayList<>()).add(p);
                }
            }
            summary(byPhase, rounds, rows);
        } finally {
            if (dirFlag.isEmpty()) {
                Files2.deleteRecursively(dir);
            }
        }
    }

    private static List<Phase> round(int round, List<Trade> data, int batch, int chunk, Connection admin,
                                     Connection ref, CopyManager copy, LocalPostgres pg, List<String> tables)
        throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute("TRUNCATE " + String.join(", ", tables.stream().filter(t -> !t.startsWith("pg_temp.")).toList()));
            st.execute("CHECKPOINT");
        }
        try (TradeWriter writer = new TradeWriter(pg::connect)) {
            // Connects, and leaves the writer expecting no duplicates, outside the timing.
            writer.write(List.of(sentinel(data.get(0), round)));
            List<Phase> phases = new ArrayList<>();
            for (int i = 1; i < tables.size(); i++) {
                String table = tables.get(i);
                phases.add(new Phase(label(table), c -> rawCopy(ref, copy, table, c, batch)));
            }
            Phase b = new Phase("(b) TradeWriter.write, all new", c -> {
                long n = 0;
                for (int i = 0; i < c.size(); i += batch) {
                    n += writer.write(c.subList(i, Math.min(c.size(), i + batch))).inserted();
                }
                return n;
            });
            Phase c = new Phase("(c) TradeWriter.write, all duplicates", ch -> {
                long n = 0;
                for (int i = 0; i < ch.size(); i += batch) {
                    WriteResult w = writer.write(ch.subList(i, Math.min(ch.size(), i + batch)));
                    n += w.duplicates();
                }
                return n;
            });
            // (c) must follow (b) on every chunk: they move as a pair.
            List<List<Phase>> units = new ArrayList<>();
            for (Phase p : phases) {
                units.add(List.of(p));
            }
            units.add(List.of(b, c));
            for (int from = 0, k = 0; from < data.size(); from += chunk, k++) {
                List<Trade> part = data.subList(from, Math.min(data.size(), from + chunk));
                for (int u = 0; u < units.size(); u++) {
                    for (Phase p : units.get(k % 2 == 0 ? u : units.size() - 1 - u)) {
                        long lsn0 = walLsn(admin);
                        long t0 = System.nanoTime();
                        long n = p.writer.write(part);
                        p.nanos += System.nanoTime() - t0;
                        p.walBytes += walLsn(admin) - lsn0;
                        p.rows += part.size();
                        p.counted += n;
                    }
                }
            }
            phases.add(b);
            phases.add(c);
            for (Phase p : phases) {
                check(p.counted == data.size(), p.name + " stored/found " + p.counted + " of " + data.size());
                System.out.printf("  %-46s %9.0f rows/s  %6.2f s  WAL %6.1f MB (%4.0f B/row)%n", p.name,
                    p.rowsPerSecond(), p.nanos / 1e9, p.walBytes / 1e6, (double) p.walBytes / p.rows);
            }
            check(count(admin, "trades") == data.size() + 1L, "trades holds the rows plus the sentinel");
            return phases;
        }
    }

    /** A trade no other row has, to connect the writer outside the timed part. */
    private static Trade sentinel(Trade like, int round) {
        Trade t = Trade.newBuilder(like).build();
        t.setVenue("BENCH");
        t.setTradeId("sentinel-" + round);
        return t;
    }

    /** What the writer does on its fast path, minus the savepoint: COPY each batch and commit it. */
    private static long rawCopy(Connection c, CopyManager copy, String table, List<Trade> data, int batch)
        throws SQLException {
        String sql = "COPY " + table + " (" + COLUMNS + ") FROM STDIN (FORMAT BINARY)";
        PgCopyBuffer b = new PgCopyBuffer(TradeCopy.FLUSH_BYTES + 1024);
        long rows = 0;
        for (int i = 0; i < data.size(); i += batch) {
            rows += TradeCopy.copy(copy, sql, b, data.subList(i, Math.min(data.size(), i + batch)));
            c.commit();
        }
        return rows;
    }

    /**
     * The reference tables, "trades" first. {@code bench_ref_indexed}: the columns, defaults, CHECK, primary key
     * and indexes of {@code trades}, and when {@code trades} is partitioned the same partitioning and partitions.
     * {@code bench_ref_heap}: columns and defaults only. With the breakdown, {@code bench_ref_k0} (key only) and
     * {@code bench_ref_kN} (key plus the N-th secondary index of trades).
     */
    private static List<String> createReferenceTables(Connection c, boolean breakdown) throws SQLException {
        List<String> tables = new ArrayList<>(List.of("trades", "bench_ref_indexed", "bench_ref_heap",
            "pg_temp.bench_ref_temp"));
        try (Statement st = c.createStatement()) {
            String partitionKey = null;
            try (ResultSet rs = st.executeQuery("SELECT CASE WHEN relkind = 'p' THEN pg_get_partkeydef(oid) END"
                + " FROM pg_class WHERE oid = 'trades'::regclass")) {
                rs.next();
                partitionKey = rs.getString(1);
            }
            List<String> bounds = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'trades'::regclass ORDER BY 1")) {
                while (rs.next()) {
                    bounds.add(rs.getString(1));
                }
            }
            String primaryKey;
            try (ResultSet rs = st.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = 'trades'::regclass AND contype = 'p'")) {
                rs.next();
                primaryKey = rs.getString(1);
            }
            List<String[]> secondary = new ArrayList<>(); // name, definition
            try (ResultSet rs = st.executeQuery("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'trades'::regclass"
                + " AND NOT i.indisprimary ORDER BY 1")) {
                while (rs.next()) {
                    secondary.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            st.execute("DROP TABLE IF EXISTS bench_ref_indexed, bench_ref_heap, bench_ref_k0, bench_ref_k1,"
                + " bench_ref_k2, bench_ref_k3, bench_ref_k4");
            createLike(st, "bench_ref_indexed", "INCLUDING ALL", partitionKey, bounds);
            st.execute("CREATE TABLE bench_ref_heap (LIKE trades INCLUDING DEFAULTS)");
            System.out.printf("# bench_ref_indexed: %s, %d partitions; %s; indexes %s%n",
                partitionKey == null ? "not partitioned" : "partitioned like trades, " + partitionKey,
                bounds.size(), primaryKey, secondary.stream().map(x -> x[0]).toList());
            if (breakdown) {
                for (int k = 0; k <= secondary.size(); k++) {
                    String name = "bench_ref_k" + k;
                    createLike(st, name, "INCLUDING DEFAULTS INCLUDING CONSTRAINTS", partitionKey, bounds);
                    st.execute("ALTER TABLE " + name + " ADD " + primaryKey);
                    if (k > 0) {
                        st.execute(secondary.get(k - 1)[1].replaceFirst(
                            "^CREATE (UNIQUE )?INDEX \\S+ ON (ONLY )?\\S+ ", "CREATE $1INDEX ON " + name + " "));
                        LABELS.put(name, "(k" + k + ") raw COPY, key + " + secondary.get(k - 1)[0]);
                    } else {
                        LABELS.put(name, "(k0) raw COPY, key only");
                    }
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private static final Map<String, String> LABELS = new LinkedHashMap<>(Map.of(
        "bench_ref_indexed", "(a1) raw COPY, indexed copy of trades",
        "bench_ref_heap", "(a2) raw COPY, plain heap table",
        "pg_temp.bench_ref_temp", "(a3) raw COPY, temp table (staging)"));

    private static String label(String table) {
        return LABELS.getOrDefault(table, table);
    }

    private static void createLike(Statement st, String name, String including, String partitionKey,
                                   List<String> bounds) throws SQLException {
        if (partitionKey == null) {
            st.execute("CREATE TABLE " + name + " (LIKE trades " + including + ")");
            return;
        }
        st.execute("CREATE TABLE " + name + " (LIKE trades " + including + ") PARTITION BY " + partitionKey);
        for (int i = 0; i < bounds.size(); i++) {
            st.execute("CREATE TABLE " + name + "_p" + i + " PARTITION OF " + name + " " + bounds.get(i));
        }
    }

    private static void summary(Map<String, List<Phase>> byPhase, int rounds, int rows) {
        System.out.printf("%nSummary, median of %d rounds (%d rows per phase and round):%n", rounds, rows);
        for (Map.Entry<String, List<Phase>> e : byPhase.entrySet()) {
            List<Phase> runs = e.getValue();
            System.out.printf("  %-46s %9.0f rows/s   WAL %4.0f B/row%n", e.getKey(),
                median(runs.stream().mapToDouble(Phase::rowsPerSecond).toArray()),
                median(runs.stream().mapToDouble(r -> (double) r.walBytes / r.rows).toArray()));
        }
        System.out.println("Ratios (median of the per-round ratios):");
        String a1 = label("bench_ref_indexed");
        String a2 = label("bench_ref_heap");
        String a3 = label("pg_temp.bench_ref_temp");
        String b = "(b) TradeWriter.write, all new";
        String c = "(c) TradeWriter.write, all duplicates";
        ratio(byPhase, b, a1, "(b)/(a1)  writer, new rows    vs raw COPY into the indexed copy");
        ratio(byPhase, b, a2, "(b)/(a2)  writer, new rows    vs raw COPY into a plain heap");
        ratio(byPhase, c, a1, "(c)/(a1)  writer, redelivery  vs raw COPY into the indexed copy");
        ratio(byPhase, c, b, "(c)/(b)   writer, redelivery  vs writer, new rows");
        ratio(byPhase, a1, a2, "(a1)/(a2) key + indexes + CHECK vs plain heap");
        ratio(byPhase, a3, a2, "(a3)/(a2) temp table (no WAL) vs logged heap");
        for (String name : byPhase.keySet()) {
            if (name.startsWith("(k")) {
                ratio(byPhase, name, a2, name.substring(0, 4) + "/(a2) " + name.substring(15) + " vs plain heap");
            }
        }
    }

    private static void ratio(Map<String, List<Phase>> byPhase, String top, String bottom, String label) {
        List<Phase> t = byPhase.get(top);
        List<Phase> u = byPhase.get(bottom);
        double[] r = new double[t.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.get(i).rowsPerSecond() / u.get(i).rowsPerSecond();
        }
        System.out.printf("  %-66s %5.2f  (rounds: %s)%n", label, median(r), Arrays.toString(
            Arrays.stream(r).mapToObj(x -> String.format("%.2f", x)).toArray()));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static long walLsn(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String show(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String settings(Connection c) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("fsync", "synchronous_commit", "shared_buffers", "max_wal_size", "wal_level")) {
            b.append(b.length() == 0 ? "" : " ").append(name).append('=').append(show(c, name));
        }
        return b.toString();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }
}
