package io.tickerplant.store.copy;

import io.tickerplant.model.avro.Decimal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds a PostgreSQL binary COPY stream ({@code COPY ... FROM STDIN (FORMAT BINARY)}) in a reusable byte array:
 * the header, tuples of length-prefixed fields in network byte order, the trailer.
 *
 * <p>Binary rather than text COPY because the server then parses nothing: numerics arrive as digit groups,
 * timestamps as one int64, and no value needs escaping. The caller sends {@link #array()} up to {@link #size()}
 * whenever it likes and calls {@link #reset()}, so one buffer serves any number of rows without growing past the
 * flush threshold. Not thread-safe.
 */
public final class PgCopyBuffer {
    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    public static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    /** The largest numeric scale PostgreSQL can store (NUMERIC_DSCALE_MAX). */
    public static final int MAX_NUMERIC_SCALE = PgNumeric.MAX_DSCALE;
    /** The smallest (negative) scale accepted: numeric allows 131072 digits before the decimal point. */
    public static final int MIN_NUMERIC_SCALE = -PgNumeric.MAX_NEGATIVE_SCALE;
    /** The earliest timestamptz, 4714-11-24 00:00 UTC BC (Julian day 0), in epoch seconds. */
    public static final long MIN_TIMESTAMP_EPOCH_SECOND = -210_866_803_200L;
    /** Just past the latest timestamptz, 294277-01-01 00:00 UTC, in epoch seconds (exclusive). */
    public static final long END_TIMESTAMP_EPOCH_SECOND = 9_224_318_016_000L;

    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, // signature
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0 // header extension length
    };
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int pos;
    private final short[] groups = new short[PgNumeric.MAX_GROUPS];

    public PgCopyBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** The COPY header; once per stream, before the first row. */
    public PgCopyBuffer header() {
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buf, pos, HEADER.length);
        pos += HEADER.length;
        return this;
    }

    /** The end-of-data marker; once per stream, after the last row. */
    public PgCopyBuffer trailer() {
        ensure(2);
        SHORT.set(buf, pos, (short) -1);
        pos += 2;
        return this;
    }

    /** Starts a tuple; exactly {@code fields} field calls must follow. */
    public PgCopyBuffer row(int fields) {
        ensure(2);
        SHORT.set(buf, pos, (short) fields);
        pos += 2;
        return this;
    }

    public PgCopyBuffer nullField() {
        ensure(4);
        INT.set(buf, pos, -1);
        pos += 4;
        return this;
    }

    /**
     * A text field, UTF-8 encoded in place (no intermediate byte array; venue data is almost always ASCII, which
     * costs one compare per character). A lone surrogate becomes '?', as {@code String.getBytes(UTF_8)} does.
     *
     * @throws IllegalArgumentException if the text contains U+0000, which PostgreSQL text cannot hold
     */
    public PgCopyBuffer text(CharSequence s) {
        int n = s.length();
        ensure(4 + 3 * n);
        byte[] b = buf;
        int start = pos;
        int p = start + 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0) {
                    throw new IllegalArgumentException("text contains a NUL character, which PostgreSQL cannot store");
                }
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | cp >> 18);
                    b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        INT.set(b, start, p - start - 4);
        pos = p;
        return this;
    }

    /** A numeric field holding exactly {@code unscaled * 10^-scale}, with {@code scale} decimals kept. */
    public PgCopyBuffer numeric(long unscaled, int scale) {
        ensure(4 + PgNumeric.MAX_BYTES);
        int len = PgNumeric.encode(unscaled, scale, groups, buf, pos + 4);
        INT.set(buf, pos, len);
        pos += 4 + len;
        return this;
    }

    public PgCopyBuffer numeric(Decimal d) {
        return numeric(d.getUnscaled(), d.getScale());
    }

    /** A bigint field. */
    public PgCopyBuffer int8(long v) {
        ensure(12);
        INT.set(buf, pos, 8);
        LONG.set(buf, pos + 4, v);
        pos += 12;
        return this;
    }

    /** A boolean field. */
    public PgCopyBuffer bool(boolean v) {
        ensure(5);
        INT.set(buf, pos, 1);
        buf[pos + 4] = (byte) (v ? 1 : 0);
        pos += 5;
        return this;
    }

    /** A timestamptz field (also valid for timestamp): microseconds since 2000-01-01 UTC. */
    public PgCopyBuffer timestamptz(long epochMicros) {
        ensure(12);
        INT.set(buf, pos, 8);
        LONG.set(buf, pos + 4, epochMicros - PG_EPOCH_MICROS);
        pos += 12;
        return this;
    }

    /** Sub-microsecond digits are dropped (floor), matching the model's microsecond precision. */
    public PgCopyBuffer timestamptz(Instant t) {
        return timestamptz(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    }

    /** The bytes written so far are {@code array()[0 .. size())}. */
    public byte[] array() {
        return buf;
    }

    public int size() {
        return pos;
    }

    /** Forgets the content and keeps the array. */
    public void reset() {
        pos = 0;
    }

    private void ensure(int more) {
        if (buf.length - pos < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
