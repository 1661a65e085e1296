'use strict';
// Starts the panels and the live streams. Two Server-Sent Event streams: one for every symbol (trades for the
// prices and the symbol list, feed status, oracle accuracy and alerts, liquidations) and one for the selected
// symbol only (candles, quotes, consolidated BBO, index), reopened when the symbol changes, so that the browser
// never receives every venue's quotes for every symbol.

const live = { all: null, symbol: null, ready: new Set() };

function typesOf(wanted) {
  return wanted.filter(t => t && api.hasType(t));
}

function liquidationType() {
  return api.streamTypes.find(t => /^liquidation/.test(t) && !/stat/.test(t)) || null;
}

function showLive() {
  const pill = $('live');
  const expected = [live.all, live.symbol].filter(Boolean).length;
  if (live.ready.size >= expected) {
    pill.textContent = 'live: connected';
    pill.className = 'pill ok';
  }
}

function openStream(name, params, handlers) {
  const es = new EventSource('/api/stream?' + new URLSearchParams(params));
  es.addEventListener('hello', () => { live.ready.add(name); showLive(); });
  for (const [event, handler] of Object.entries(handlers)) {
    es.addEventListener(event, m => handler(JSON.parse(m.data)));
  }
  // EventSource reconnects by itself; say so instead of failing silently.
  es.onerror = () => {
    live.ready.delete(name);
    $('live').textContent = 'live: reconnecting…';
    $('live').className = 'pill wait';
  };
  return es;
}

function openAllSymbolsStream() {
  const liqType = liquidationType();
  const types = typesOf(['trades', 'feedstatus', 'accuracy', 'alerts', liqType]);
  live.all = openStream('all', { types: types.join(',') }, {
    trade: onTrade, feedstatus: onFeedStatus, accuracy: onAccuracy, alert: onAlert,
    liquidation: onLiquidation, liquidations: onLiquidation,
  });
}

function openSymbolStream() {
  if (live.symbol) {
    live.symbol.close();
    live.ready.delete('symbol');
  }
  const types = typesOf(['candles', 'quotes', 'bbo', 'index']);
  live.symbol = openStream('symbol', { symbol: state.symbol, types: types.join(',') }, {
    candle: onCandle, quote: onQuote, bbo: onBbo, index: onIndex,
  });
}

function selectSymbol(symbol) {
  state.symbol = symbol;
  state.bbo = null;
  state.index = null;
  openSymbolStream();
  renderPrices();
  reloadCandles();
  loadConsolidated().catch(e => showFailureIn('venues-summary', e));
}

$('symbol').onchange = () => selectSymbol($('symbol').value);

async function start() {
  setInterval(() => { $('clock').textContent = new Date().toISOString().substring(11, 19) + ' UTC'; }, 1000);
  await api.discover();
  startPipeline();
  try {
    await loadPrices();
  } catch (e) {
    showFailure('prices', e);
  }
  openAllSymbolsStream();
  openSymbolStream();
  reloadCandles();
  loadConsolidated().catch(e => showFailureIn('venues-summary', e));
  loadAccuracy();
  loadAlerts();
  startLiquidations(liquidationType());
  // Without live accuracy events the oracle panel is refreshed by polling instead.
  if (!api.hasType('accuracy')) setInterval(loadAccuracy, 15000);
  if (!api.hasType('alerts')) setInterval(loadAlerts, 15000);
  // Feed health words depend on how long a venue has been silent, which changes without any event.
  setInterval(scheduleRender, 5000);
}

start();
