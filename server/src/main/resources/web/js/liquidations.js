'use strict';
// Liquidations of the perpetual swaps (-PERP symbols): per-minute long/short notional bars and the latest forced
// orders in words. Live over /api/stream when the server has the liquidation event type, else polled.

const LIQ_POLL_MS = 3000;
const LIQ_STATS_POLL_MS = 10000;

const liq = { symbol: null, items: [], keys: new Set(), live: false };

const liqChart = LightweightCharts.createChart($('liq-chart'), {
  autoSize: true,
  layout: { background: { color: '#171d24' }, textColor: '#8b96a3' },
  grid: { vertLines: { color: '#222a33' }, horzLines: { color: '#222a33' } },
  timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a323c' },
  rightPriceScale: { borderColor: '#2a323c' },
  localization: { priceFormatter: p => grouped(Math.abs(p)) },
});
const longBars = liqChart.addSeries(LightweightCharts.HistogramSeries, { color: '#ef5350', priceLineVisible: false, lastValueVisible: false });
const shortBars = liqChart.addSeries(LightweightCharts.HistogramSeries, { color: '#26a69a', priceLineVisible: false, lastValueVisible: false });

function quoteCurrency(symbol) {
  const parts = symbol.split('-');
  return parts.length >= 2 ? parts[1] : '';
}

/** Who was liquidated, from the side of the forced order: a SELL closes a long position, a BUY a short one. */
function liqSentence(l) {
  const qty = l.quantity !== undefined ? l.quantity : l.size;
  const notional = l.notional !== undefined && l.notional !== null ? +l.notional : +l.price * +qty;
  const who = l.side === 'SELL' ? 'long' : l.side === 'BUY' ? 'short' : 'position (side not reported)';
  const time = l.eventTime || l.time;
  return `${hhmmss(time)} ${l.venue}: ${who} of ${qty} liquidated at ${l.price} (${grouped(notional)} ${quoteCurrency(l.symbol || liq.symbol)})`;
}

function addLiquidations(list) {
  let added = false;
  for (const l of list) {
    if (l.symbol && l.symbol !== liq.symbol) continue;
    const key = [l.venue, l.eventTime || l.time, l.side, l.price, l.quantity, l.liquidationId].join('|');
    if (liq.keys.has(key)) continue;
    liq.keys.add(key);
    liq.items.push(l);
    added = true;
  }
  if (!added) return;
  liq.items.sort((a, b) => Date.parse(b.eventTime || b.time) - Date.parse(a.eventTime || a.time));
  liq.items.length = Math.min(liq.items.length, 40);
  renderLiqFeed();
}

function renderLiqFeed() {
  if (!liq.items.length) {
    $('liq-feed').replaceChildren(el('li', 'No liquidation of ' + liq.symbol + ' seen yet.', 'note'));
    return;
  }
  $('liq-feed').replaceChildren(...liq.items.map(l =>
    el('li', liqSentence(l), l.side === 'SELL' ? 'state-bad' : l.side === 'BUY' ? 'state-ok' : '')));
}

function onLiquidation(l) {
  if (l.symbol === liq.symbol) addLiquidations([l]);
}

async function loadLiquidations() {
  if (!liq.symbol || !api.has('/api/liquidations')) return;
  try {
    const body = await getJson('/api/liquidations?symbol=' + encodeURIComponent(liq.symbol) + '&limit=40');
    addLiquidations(rowsOf(body));
    if (!liq.items.length) renderLiqFeed();
  } catch (e) {
    $('liq-feed').replaceChildren(failure('li', e));
  }
}

async function loadLiqStats() {
  if (!liq.symbol) return;
  if (!api.has('/api/liquidations/stats')) {
    $('liq-note').textContent = 'Per-minute bars ' + notAvailable('/api/liquidations/stats') + '.';
    $('liq-chart').style.display = 'none';
    $('liq-legend').style.display = 'none';
    return;
  }
  try {
    const rows = rowsOf(await getJson('/api/liquidations/stats?symbol=' + encodeURIComponent(liq.symbol)))
        .slice().sort((a, b) => Date.parse(a.bucketStart) - Date.parse(b.bucketStart));
    longBars.setData(rows.map(r => ({ time: secs(r.bucketStart), value: +r.longNotional })));
    shortBars.setData(rows.map(r => ({ time: secs(r.bucketStart), value: -r.shortNotional })));
    $('liq-note').className = 'note';
    const ccy = quoteCurrency(liq.symbol);
    const last = rows[rows.length - 1];
    $('liq-note').textContent = last
        ? `Minute ${hhmmss(last.bucketStart).substring(0, 5)}: ${last.longCount} longs (${grouped(last.longNotional)} ${ccy}), `
          + `${last.shortCount} shorts (${grouped(last.shortNotional)} ${ccy}) liquidated.`
        : 'No liquidation of ' + liq.symbol + ' counted yet.';
  } catch (e) {
    showFailureIn('liq-note', e);
  }
}

/** The -PERP symbols followed (seen in the prices); the panel explains itself when there are none. */
function updateLiqSymbols() {
  const perps = [...new Set([...state.prices.values()].map(p => p.symbol))].filter(s => s.endsWith('-PERP')).sort();
  const sel = $('liq-symbol');
  if (perps.join() === [...sel.options].map(o => o.value).join()) return;
  sel.replaceChildren(...perps.map(s => Object.assign(el('option', s), { value: s })));
  for (const id of ['liq-symbol', 'liq-chart', 'liq-legend']) $(id).style.display = perps.length ? '' : 'none';
  if (!perps.length) {
    $('liq-note').textContent = '';
    $('liq-feed').replaceChildren(el('li', 'No perpetual swap is followed: liquidations appear when the symbols include '
        + 'one such as BTC-USDT-PERP (OKX and BYBIT send them).', 'note'));
    return;
  }
  if (!perps.includes(liq.symbol)) selectLiqSymbol(perps[0]);
}

function selectLiqSymbol(symbol) {
  liq.symbol = symbol;
  liq.items = [];
  liq.keys.clear();
  $('liq-symbol').value = symbol;
  if (!api.has('/api/liquidations') && !liq.live) {
    $('liq-feed').replaceChildren(el('li', 'Liquidations ' + notAvailable('/api/liquidations') + '.', 'note'));
  } else {
    $('liq-feed').replaceChildren(el('li', 'loading…', 'note'));
  }
  loadLiquidations();
  loadLiqStats();
}

$('liq-symbol').onchange = () => selectLiqSymbol($('liq-symbol').value);

function startLiquidations(liveType) {
  liq.live = !!liveType;
  updateLiqSymbols();
  // Polled only when the server cannot push liquidations; the bars are per minute, so a slow refresh suffices.
  if (!liq.live) setInterval(loadLiquidations, LIQ_POLL_MS);
  setInterval(loadLiqStats, LIQ_STATS_POLL_MS);
  setInterval(updateLiqSymbols, 5000);
}
