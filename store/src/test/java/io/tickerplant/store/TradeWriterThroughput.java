package io.tickerplant.store;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Side;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows per second of {@link TradeWriter#write} against the bare binary COPY into the staging table it starts with,
 * on a local server. A benchmark, not a test (prints figures, asserts nothing); to move to bench/.
 *
 * <p>Run: {@code mvn -o -q -pl store test-compile && java -cp store/target/test-classes:store/target/classes:<deps>
 * io.tickerplant.store.TradeWriterThroughput [rows=500000] [batch=10000] [durable=true]}
 */
public final class TradeWriterThroughput {
    private TradeWriterThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean durable = args.length <= 2 || Boolean.parseBoolean(args[2]);
        Path dir = Files.createTempDirectory("tp-bench-pg");
        List<Trade> trades = trades(rows);
        try (LocalPostgres pg = LocalPostgres.builder(dir).durable(durable).start();
             Connection c = pg.connect();
             TradeWriter writer = new TradeWriter(pg::connect)) {
            System.out.printf("PostgreSQL started in %d ms (durable=%s); %d rows in batches of %d%n",
                pg.startupTime().toMillis(), durable, rows, batch);
            StoreSchema.migrate(c);
            // Warm-up on other keys (JIT, server caches, partitions), then empty the table.
            for (int i = 0; i < 3; i++) {
                writer.copyOnly(trades.subList(0, Math.min(rows, 50_000)));
                writer.write(trades.subList(0, Math.min(rows, 50_000)));
            }
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE trades");
                st.execute("CHECKPOINT");
            }

            long t0 = System.nanoTime();
            for (int i = 0; i < rows; i += batch) {
                writer.copyOnly(trades.subList(i, Math.min(rows, i + batch)));
            }
            report("COPY BINARY into the staging table only", rows, t0);

            t0 = System.nanoTime();
            long inserted = 0;
            for (int i = 0; i < rows; i += batch) {
                inserted += writer.write(trades.subList(i, Math.min(rows, i + batch))).inserted();
            }
            report("TradeWriter.write, all rows new (" + inserted + " inserted)", rows, t0);

            t0 = System.nanoTime();
            long duplicates = 0;
            for (int i = 0; i < rows; i += batch) {
                duplicates += writer.write(trades.subList(i, Math.min(rows, i + batch))).duplicates();
            }
            report("TradeWriter.write, all rows again (" + duplicates + " duplicates)", rows, t0);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void report(String what, int rows, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-55s %8.0f rows/s (%.2f s)%n", what, rows / seconds, seconds);
    }

    /** Venue-like trades: 3 venues x 20 symbols, increasing ids and times over one day. */
    static List<Trade> trades(int rows) {
        String[] venues = {"BINANCE", "COINBASE", "KRAKEN"};
        SplittableRandom random = new SplittableRandom(1);
        Instant start = Instant.parse("2024-06-01T00:00:00Z");
        List<Trade> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            String venue = venues[i % venues.length];
            String symbol = "C" + (i / venues.length % 20) + "-USDT";
            Instant t = start.plusNanos(i * 100_000_000L / 1000 * 1000); // ~10 trades per second
            out.add(new Trade(venue, symbol, symbol.replace("-", ""), t, t.plusMillis(2), Long.toString(3_000_000_000L + i),
                Decimals.of(2_712_345_000_000L + random.nextInt(1_000_000), 8),
                Decimals.of(1 + random.nextInt(100_000_000), 8), random.nextBoolean() ? Side.BUY : Side.SELL));
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
