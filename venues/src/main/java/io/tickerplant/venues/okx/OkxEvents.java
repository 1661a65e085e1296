package io.tickerplant.venues.okx;

import io.tickerplant.model.Decimals;
import io.tickerplant.model.Micros;
import io.tickerplant.model.avro.Decimal;
import io.tickerplant.model.avro.Funding;
import io.tickerplant.model.avro.Liquidation;
import io.tickerplant.model.avro.Quote;
import io.tickerplant.model.avro.Trade;
import io.tickerplant.venues.RejectedFrame;
import io.tickerplant.venues.VenueEventListener;
import io.tickerplant.venues.okx.OkxParser.Data;
import io.tickerplant.venues.okx.OkxParser.FundingRateData;
import io.tickerplant.venues.okx.OkxParser.InstrumentInfo;
import io.tickerplant.venues.okx.OkxParser.LiquidationData;
import io.tickerplant.venues.okx.OkxParser.MarkPriceData;
import io.tickerplant.venues.okx.OkxParser.Push;
import io.tickerplant.venues.okx.OkxParser.QuoteData;
import io.tickerplant.venues.okx.OkxParser.TradeData;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns parsed OKX pushes of the trade, quote, liquidation and funding channels into tickerplant events, the same way
 * for the live adapter and the replayer. Swap sizes (contracts) become base quantities: {@code sz * ctVal}, exact,
 * for linear swaps whose {@code ctValCcy} is the base asset; a swap whose contract value is unknown or not in the
 * base asset is rejected with the reason, never guessed.
 */
final class OkxEvents {

    private final String venue;
    private final VenueEventListener listener;
    private final Function<String, InstrumentInfo> contracts;

    /** @param contracts instId to its instrument details, null when unknown */
    OkxEvents(String venue, VenueEventListener listener, Function<String, InstrumentInfo> contracts) {
        this.venue = Objects.requireNonNull(venue, "venue");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.contracts = Objects.requireNonNull(contracts, "contracts");
    }

    /** Why a size cannot be converted to the base asset. */
    static final class NotConvertible extends Exception {
        NotConvertible(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A push's events to the listener; a push that cannot be converted is rejected whole. */
    void deliver(Push push, String raw, long receiveMicros, Function<String, String> canonical) {
        Instant receive = Micros.toInstant(receiveMicros);
        try {
            for (Data d : push.data()) {
                if (d instanceof TradeData t) {
                    listener.onTrade(new Trade(venue, canonical.apply(t.instId()), t.instId(),
                            Instant.ofEpochMilli(t.tsMillis()), receive, t.tradeId(), t.price(),
                            base(t.instId(), t.size()), t.side()));
                } else if (d instanceof QuoteData q) {
                    listener.onQuote(new Quote(venue, canonical.apply(q.instId()), q.instId(),
                            Instant.ofEpochMilli(q.tsMillis()), receive, q.bidPrice(), base(q.instId(), q.bidSize()),
                            q.askPrice(), base(q.instId(), q.askSize()), q.seqId() >= 0 ? q.seqId() : null));
                } else if (d instanceof LiquidationData l) {
                    listener.onLiquidation(new Liquidation(venue, canonical.apply(l.instId()), l.instId(),
                            Instant.ofEpochMilli(l.tsMillis()), receive, l.side(), l.bankruptcyPrice(),
                            base(l.instId(), l.size()), null));
                } else if (d instanceof FundingRateData f) {
                    listener.onFunding(new Funding(venue, canonical.apply(f.instId()), f.instId(),
                            f.tsMillis() >= 0 ? Instant.ofEpochMilli(f.tsMillis()) : receive, receive, null, null,
                            f.fundingRate(), Instant.ofEpochMilli(f.fundingTimeMillis())));
                } else if (d instanceof MarkPriceData m) {
                    listener.onFunding(new Funding(venue, canonical.apply(m.instId()), m.instId(),
                            Instant.ofEpochMilli(m.tsMillis()), receive, m.markPrice(), null, null, null));
                }
            }
        } catch (NotConvertible e) {
            listener.onRejected(new RejectedFrame(venue, raw, e.getMessage(), "NotConvertible", receiveMicros));
        }
    }

    /** A size of the instrument in its base asset: as is for spot, {@code contracts * ctVal} for swaps. */
    Decimal base(String instId, Decimal size) throws NotConvertible {
        if (!OkxSymbols.isSwap(instId)) {
            return size;
        }
        InstrumentInfo info = contracts.apply(instId);
        if (info == null || info.ctVal() == null) {
            throw new NotConvertible("size of " + instId + " is in contracts and the contract value (ctVal) of "
                    + instId + " is unknown: /api/v5/public/instruments?instType=SWAP did not list it");
        }
        String base = instId.substring(0, instId.indexOf('-'));
        if (info.ctValCcy() != null && !info.ctValCcy().isEmpty() && !info.ctValCcy().equals(base)) {
            throw new NotConvertible("contract value of " + instId + " is in " + info.ctValCcy() + ", not in the"
                    + " base asset " + base + " (an inverse swap): no exact base quantity");
        }
        return Decimals.of(Decimals.toBigDecimal(size).multiply(Decimals.toBigDecimal(info.ctVal())));
    }
}
