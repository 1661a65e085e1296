package io.tickerplant.venues.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickerplant.venues.replay.CapturedMessage.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReaderTest {

    @TempDir
    Path dir;

    @Test
    void formatALinesBecomeConnectionsSentAndReceivedFramesAndRestAnswers() throws Exception {
        Path f = dir.resolve("cryptofeed_BINANCE_FUTURES.ws.1.0.txt");
        Files.write(f, List.of(
                "wss://fstream.example/stream <-> 1618677816.5",
                "wss://fstream.example/stream <- 1618677817.25: {\"method\":\"SUBSCRIBE\"}",
                "1618677817.061845: {\"stream\":\"a\",\"data\":{\"x\":\": not a split\"}}",
                "https://api.example/fapi/v1/depth?symbol=BTCUSDT -> 1618677818.0: {\"lastUpdateId\":1}",
                "garbage without a timestamp",
                "",
                "configuration: {}"));
        CaptureReader.Capture c = CaptureReader.read(f);
        assertThat(c.venue()).isEqualTo("BINANCE_FUTURES");
        assertThat(c.format()).isEqualTo(CaptureReader.Format.CRYPTOFEED_A);
        assertThat(c.lines()).isEqualTo(6);
        assertThat(c.control()).isEqualTo(1);
        assertThat(c.unreadable()).isEqualTo(Map.of("unreadable line (no '<ts>: ')", 1L));
        assertThat(c.messages()).extracting(CapturedMessage::kind)
                .containsExactly(Kind.CONNECT, Kind.SENT, Kind.RECEIVED, Kind.HTTP);
        CapturedMessage frame = c.messages().get(2);
        assertThat(frame.connection()).isEqualTo("wss://fstream.example/stream");
        assertThat(frame.text()).isEqualTo("{\"stream\":\"a\",\"data\":{\"x\":\": not a split\"}}");
        assertThat(frame.receiveMicros()).isEqualTo(1618677817061845L);
        assertThat(c.messages().get(3).connection()).isEqualTo("https://api.example/fapi/v1/depth?symbol=BTCUSDT");
    }

    @Test
    void formatBDecodesTheFrameStringAndNamesTheConnectionByItsAddress() throws Exception {
        Path f = dir.resolve("cryptofeed-v3_BYBIT.v5.jsonl");
        Files.write(f, List.of(
                "{\"t\":\"header\",\"format\":2,\"exchange\":\"BYBIT\"}",
                "{\"t\":\"connect\",\"conn\":\"BYBIT.ws.2\",\"ts\":1786310818.5,\"addr\":\"wss://x/v5/public/linear\"}",
                "{\"t\":\"recv\",\"conn\":\"BYBIT.ws.2\",\"ts\":1786310819.25,\"data\":\"{\\\"topic\\\":\\\"t\\\"}\"}",
                "{\"t\":\"http\",\"ts\":1786310820,\"url\":\"https://x/v5/market\",\"data\":\"[]\"}",
                "{\"t\":\"other\"}",
                "{not json"));
        CaptureReader.Capture c = CaptureReader.read(f);
        assertThat(c.venue()).isEqualTo("BYBIT");
        assertThat(c.control()).isEqualTo(1);
        assertThat(c.unreadable()).containsEntry("unknown line type t='other'", 1L)
                .containsEntry("unreadable JSON line", 1L);
        assertThat(c.messages()).extracting(CapturedMessage::kind).containsExactly(Kind.CONNECT, Kind.RECEIVED,
                Kind.HTTP);
        assertThat(c.messages().get(1).connection()).isEqualTo("wss://x/v5/public/linear");
        assertThat(c.messages().get(1).text()).isEqualTo("{\"topic\":\"t\"}");
        assertThat(c.messages().get(1).receiveMicros()).isEqualTo(1786310819250000L);
    }

    @Test
    void compressedAndForeignFilesAreNamedAsUnsupportedWithTheReason() {
        assertThat(CaptureReader.unsupported("cryptofeed-v3_COINBASE.jsonl.zst")).get().asString()
                .contains("decompress");
        assertThat(CaptureReader.unsupported("notes.md")).get().asString().contains("not a capture").contains("tickerplant_<VENUE>");
        assertThat(CaptureReader.venueOf("cryptofeed_OKX.ws.1.0.txt")).contains("OKX");
    }
}
