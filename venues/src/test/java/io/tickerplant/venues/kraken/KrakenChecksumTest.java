package io.tickerplant.venues.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.avro.BookLevel;
import io.tickerplant.venues.kraken.KrakenParser.Book;
import io.tickerplant.venues.kraken.KrakenParser.BookData;
import java.util.List;
import org.junit.jupiter.api.Test;

class KrakenChecksumTest {

    private static BookData docsSnapshot() throws Exception {
        return ((Book) new KrakenParser().parse(KrakenDocs.BOOK_SNAPSHOT)).books().get(0);
    }

    @Test
    void theDocumentedSnapshotHasTheDocumentedChecksum() throws Exception {
        BookData d = docsSnapshot();
        assertThat(KrakenChecksum.of(d.bids(), d.asks(), 1, 8)).isEqualTo(KrakenDocs.BOOK_SNAPSHOT_CHECKSUM)
                .isEqualTo(d.checksum());
    }

    @Test
    void theChecksumTextIsAsksAscendingThenBidsWithoutPointsOrLeadingZeros() throws Exception {
        BookData d = docsSnapshot();
        assertThat(KrakenChecksum.text(d.bids(), d.asks(), 1, 8)).startsWith(KrakenDocs.BOOK_SNAPSHOT_ASKS_TEXT)
                .endsWith("45276615445238");
    }

    @Test
    void valuesAreFormattedToThePrecisionWhateverDigitsTheyArrivedWith() {
        // 45281 at precision 1 is "45281.0" -> "452810"; 0.1 at precision 8 is "0.10000000" -> "10000000".
        List<BookLevel> bids = List.of(new BookLevel(Decimals.parse("45281"), Decimals.parse("0.1")));
        List<BookLevel> asks = List.of(new BookLevel(Decimals.parse("45285.20"), Decimals.parse("0.001000000")));
        assertThat(KrakenChecksum.text(bids, asks, 1, 8)).isEqualTo("452852" + "100000" + "452810" + "10000000");
        assertThat(KrakenChecksum.of(bids, asks, 1, 8)).isEqualTo(KrakenChecksum.crc("452852100000"
                + "45281010000000"));
    }

    @Test
    void onlyTheTopTenLevelsCount() throws Exception {
        BookData d = docsSnapshot();
        List<BookLevel> moreBids = new java.util.ArrayList<>(d.bids());
        moreBids.add(new BookLevel(Decimals.parse("45000.0"), Decimals.parse("9.0")));
        assertThat(KrakenChecksum.of(moreBids, d.asks(), 1, 8)).isEqualTo(KrakenDocs.BOOK_SNAPSHOT_CHECKSUM);
    }

    @Test
    void digitsAsReceivedIsTheVersionOneRule() {
        List<BookLevel> bids = List.of(new BookLevel(Decimals.parse("354.15000000"), Decimals.parse("5.00000000")));
        assertThat(KrakenChecksum.text(bids, List.of(), KrakenChecksum.AS_RECEIVED, KrakenChecksum.AS_RECEIVED))
                .isEqualTo("35415000000500000000");
    }

    @Test
    void aValueFinerThanThePrecisionIsRefusedNotRounded() {
        List<BookLevel> bids = List.of(new BookLevel(Decimals.parse("45281.05"), Decimals.parse("1")));
        assertThatThrownBy(() -> KrakenChecksum.of(bids, List.of(), 1, 8))
                .hasMessageContaining("45281.05 has more than 1 decimals");
    }
}
