'use strict';
// The candlestick chart of the selected symbol across venues (venue ALL), with an interval switch and a live last bar.

const INTERVALS = ['1s', '1m', '5m', '1h'];

const chart = LightweightCharts.createChart($('chart'), {
  autoSize: true,
  layout: { background: { color: '#171d24' }, textColor: '#8b96a3' },
  grid: { vertLines: { color: '#222a33' }, horzLines: { color: '#222a33' } },
  timeScale: { timeVisible: true, secondsVisible: true, borderColor: '#2a323c' },
  rightPriceScale: { borderColor: '#2a323c' },
});
const series = chart.addSeries(LightweightCharts.CandlestickSeries, {
  upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
});
const bar = c => ({ time: secs(c.bucketStart), open: +c.open, high: +c.high, low: +c.low, close: +c.close });

function showLastBar(c) {
  $('lastbar').textContent = `${c.interval} bar ${hhmmss(c.bucketStart)}: O ${c.open} H ${c.high} L ${c.low} C ${c.close}`
      + (c.finalBar ? ' (final)' : ' (live)');
}

async function loadCandles() {
  const q = new URLSearchParams({ symbol: state.symbol, venue: 'ALL', interval: state.interval, limit: '500' });
  const body = await getJson('/api/candles?' + q);
  const bars = body.candles.map(bar);
  series.setData(bars);
  state.lastTime = bars.length ? bars[bars.length - 1].time : 0;
  state.barCount = bars.length;
  if (body.candles.length) showLastBar(body.candles[body.candles.length - 1]);
  else $('lastbar').textContent = 'no ' + state.interval + ' bars yet';
  chart.timeScale().scrollToRealTime();
}

function onCandle(c) {
  if (c.symbol !== state.symbol || c.venue !== 'ALL' || c.interval !== state.interval) return;
  const b = bar(c);
  if (b.time < state.lastTime) return; // an update of an older bar: the chart only moves forward
  series.update(b);
  if (b.time > state.lastTime) state.barCount++;
  state.lastTime = b.time;
  showLastBar(c);
}

function reloadCandles() {
  loadCandles().then(() => $('lastbar').classList.remove('failure')).catch(e => showFailureIn('lastbar', e));
}

function markInterval() {
  for (const b of $('intervals').children) b.classList.toggle('active', b.dataset.interval === state.interval);
}

for (const iv of INTERVALS) {
  const b = el('button', iv);
  b.dataset.interval = iv;
  b.onclick = () => { state.interval = iv; markInterval(); reloadCandles(); };
  $('intervals').appendChild(b);
}
markInterval();
