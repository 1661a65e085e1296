package io.tickerplant.store.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.store.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** The binary encodings checked against PostgreSQL itself. */
class PgBinaryRoundTripIT {
    @TempDir
    static Path dir;
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.builder(dir).durable(false).start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    static List<Decimal> values() {
        List<Decimal> v = new ArrayList<>();
        for (String s : List.of("0", "0.00000000", "0.10000000", "-0.10000000", "1", "-1", "10000", "9999", "0.0001",
            "27123.45", "-27123.45", "123456789012345678", "1234567890.12345678", "0.123456789012345678",
            "999999999999999999", "0.00000001", "0.000000001", "0.000000000001", "1.5e-7", "5E-20", "100.00",
            "0.5", "12.5", "1e3")) {
            v.add(Decimals.parse(s));
        }
        v.add(Decimals.of(Long.MAX_VALUE, 0));
        v.add(Decimals.of(Long.MAX_VALUE, 18));
        v.add(Decimals.of(Long.MIN_VALUE, 0));
        v.add(Decimals.of(Long.MIN_VALUE, 7));
        v.add(Decimals.of(-Long.MAX_VALUE, 19));
        v.add(Decimals.of(123, -3));
        v.add(Decimals.of(-7, -9));
        v.add(Decimals.of(1, 30));
        v.add(Decimals.of(0, 30));
        SplittableRandom random = new SplittableRandom(2024);
        for (int i = 0; i < 20_000; i++) {
            int digits = random.nextInt(1, 19);
            long u = random.nextLong((long) Math.pow(10, digits));
            v.add(Decimals.of(random.nextBoolean() ? u : -u, random.nextInt(0, 21)));
        }
        return v;
    }

    @Test
    void everyNumericReadsBackAsTheSameDigitsAndScale() throws Exception {
        List<Decimal> values = values();
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE n (id bigserial, v numeric)");
            PgCopyBuffer b = new PgCopyBuffer(1024).header();
            for (Decimal d : values) {
                b.row(1).numeric(d);
            }
            b.trailer();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY n (v) FROM STDIN (FORMAT BINARY)");
            in.writeToCopy(b.array(), 0, b.size());
            assertThat(in.endCopy()).isEqualTo(values.size());

            List<String> stored = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT v::text FROM n ORDER BY id")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).containsExactlyElementsOf(values.stream().map(Decimals::toPlainString).toList());
        }
    }

    @Test
    void numericBytesEqualWhatTheServerSends() throws Exception {
        List<Decimal> values = values();
        try (Connection c = pg.connect();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT numeric_send(t::numeric) FROM unnest(?::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i")) {
            Array texts = c.createArrayOf("text", values.stream().map(Decimals::toPlainString).toArray());
            ps.setArray(1, texts);
            short[] groups = new short[PgNumeric.MAX_GROUPS];
            byte[] ours = new byte[PgNumeric.MAX_BYTES];
            int i = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Decimal d = values.get(i++);
                    int n = PgNumeric.encode(d.getUnscaled(), d.getScale(), groups, ours, 0);
                    assertThat(Arrays.copyOf(ours, n)).as(Decimals.toPlainString(d)).isEqualTo(rs.getBytes(1));
                }
            }
            assertThat(i).isEqualTo(values.size());
        }
    }

    @Test
    void timestampsJustOutsideTheRangeAreRefusedByTheServer() throws Exception {
        for (Instant outside : List.of(Instant.ofEpochSecond(PgCopyBuffer.MIN_TIMESTAMP_EPOCH_SECOND).minusNanos(1_000),
            Instant.ofEpochSecond(PgCopyBuffer.END_TIMESTAMP_EPOCH_SECOND))) {
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE o (v timestamptz)");
                PgCopyBuffer b = new PgCopyBuffer(64).header();
                b.row(1).timestamptz(outside).trailer();
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY o FROM STDIN (FORMAT BINARY)");
                in.writeToCopy(b.array(), 0, b.size());
                assertThatThrownBy(in::endCopy).as(outside.toString())
                    .isInstanceOf(SQLException.class).hasMessageContaining("out of range");
            }
        }
    }

    @Test
    void timestampsReadBackToTheMicrosecond() throws Exception {
        List<Instant> times = List.of(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("1970-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("2024-02-29T12:34:56.789012Z"),
            Instant.parse("2038-01-19T03:14:08.000001Z"), Instant.parse("1900-06-01T00:00:00.5Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z"),
            Instant.ofEpochSecond(PgCopyBuffer.MIN_TIMESTAMP_EPOCH_SECOND),
            Instant.ofEpochSecond(PgCopyBuffer.END_TIMESTAMP_EPOCH_SECOND).minusNanos(1_000));
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE t (id bigserial, v timestamptz)");
            PgCopyBuffer b = new PgCopyBuffer(64).header();
            times.forEach(t -> b.row(1).timestamptz(t));
            b.trailer();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t (v) FROM STDIN (FORMAT BINARY)");
            in.writeToCopy(b.array(), 0, b.size());
            in.endCopy();
            List<Instant> stored = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY id")) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
            assertThat(stored).containsExactlyElementsOf(times);
        }
    }
}
