package io.tickerplant.store.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgCopyBufferTest {

    private static byte[] textField(String s) {
        PgCopyBuffer b = new PgCopyBuffer(8);
        b.text(s);
        return Arrays.copyOf(b.array(), b.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "BTC-USDT", "ÄÖü €", "日本語", "emoji \uD83D\uDE80 ok", "lone \uD83D surrogate", "tail \uDE80",
        "\u007F\u0080\u07FF\u0800\uFFFF"})
    void encodesTextExactlyLikeJavaUtf8(String s) {
        byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer field = ByteBuffer.wrap(textField(s));
        assertThat(field.getInt()).isEqualTo(expected.length);
        byte[] body = new byte[field.remaining()];
        field.get(body);
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void rejectsNulBecausePostgresTextCannotHoldIt() {
        assertThatThrownBy(() -> textField("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growsForLongTexts() {
        String s = "x".repeat(100_000);
        assertThat(textField(s)).hasSize(100_004);
    }

    @Test
    void writesTimestampsAsMicrosecondsSince2000() {
        PgCopyBuffer b = new PgCopyBuffer(64);
        b.timestamptz(Instant.parse("2000-01-01T00:00:00Z"))
            .timestamptz(Instant.parse("2000-01-01T00:00:00.000001999Z"))
            .timestamptz(Instant.parse("1999-12-31T23:59:59.999999Z"));
        ByteBuffer in = ByteBuffer.wrap(b.array(), 0, b.size());
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isZero();
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isEqualTo(1); // nanoseconds below a microsecond are dropped
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isEqualTo(-1);
    }

    @Test
    void framesAStreamWithHeaderRowsAndTrailer() {
        PgCopyBuffer b = new PgCopyBuffer(16);
        b.header().row(2).nullField().numeric(5, 0).trailer();
        ByteBuffer in = ByteBuffer.wrap(b.array(), 0, b.size());
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(in.getInt()).isZero();
        assertThat(in.getInt()).isZero();
        assertThat(in.getShort()).isEqualTo((short) 2);
        assertThat(in.getInt()).isEqualTo(-1);
        assertThat(in.getInt()).isEqualTo(10);
        in.position(in.position() + 10);
        assertThat(in.getShort()).isEqualTo((short) -1);
        assertThat(in.hasRemaining()).isFalse();
        b.reset();
        assertThat(b.size()).isZero();
    }
}
