package io.tickerplant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A poor man's profiler for the pipeline's few key threads: every 20 ms it takes their stacks and files each under
 * what the thread is doing (rules below, first match wins: "sink put: commit", "source poll: waiting for events"),
 * so a report says where each thread's wall time goes, waiting included, which CPU time alone cannot tell.
 */
final class StackSampler {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long PERIOD_MS = 20;

    /** A thread-name prefix, then pairs of (frame substring, label); the label of the first match is used. */
    private static final String[][] RULES = {
        {"task-thread-postgres-sink",
            "AvroSerdes.decode", "put: Avro decode",
            // The sink also writes the Streams outputs, each in its own transaction: their time, commit included.
            "CandleWriter", "put: candles (CandleWriter)",
            "BboWriter", "put: BBO (BboWriter)",
            "IndexPriceWriter", "put: index prices (IndexPriceWriter)",
            "AccuracyWriter", "put: accuracy (AccuracyWriter)",
            "AlertWriter", "put: alerts (AlertWriter)",
            "ReferencePriceWriter", "put: reference prices",
            "Liquidation", "put: liquidations / stats",
            "FundingWriter", "put: funding",
            "TradeWriter.collectDaysAndValidate", "put: validate",
            "ensurePartitions", "put: partitions",
            ".endCopy", "put: COPY end (server inserts, answers)",
            "TradeWriter.copy", "put: COPY encode + send",
            "TradeWriter.insert", "put: savepoint / staging insert",
            "PgConnection.commit", "put: commit (WAL flush)",
            "PostgresSinkTask.put", "put: other",
            "KafkaConsumer.poll", "consumer poll (fetch, or waiting for records)",
            "convertMessages", "Connect: convert records",
            "ommit", "Connect: offset commit"},
        {"task-thread-binance-source",
            "EventQueue.drain", "poll: waiting for / draining events",
            "SourceRecordFactory", "poll: build records (Avro encode)",
            "VenueSourceTask.poll", "poll: other",
            "BufferPool.allocate", "producer.send: blocked, buffer full",
            "waitOnMetadata", "producer.send: waiting for metadata",
            "KafkaProducer.send", "producer.send",
            "convertTransformedRecord", "Connect: convert records",
            "ommit", "Connect: offsets"},
        {"tp-binance-io",
            "EventQueue.put", "queue put (blocked when Connect lags)",
            "BinanceTradeParser", "parse JSON frame",
            "BinanceAdapter", "adapter other",
            "WebSocket", "websocket",
            "Unsafe.park", "idle (parked)"},
    };

    private final Map<Long, String[]> rulesByThread = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    /** thread name -> label -> samples. */
    private final Map<String, Map<String, Integer>> counts = new TreeMap<>();
    private final Thread thread = new Thread(this::loop, "bench-stack-sampler");
    private volatile boolean running = true;

    private StackSampler() {
    }

    /** Starts sampling the threads alive now whose names match a rule. */
    static StackSampler start() {
        StackSampler s = new StackSampler();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            for (String[] rule : RULES) {
                if (t.getThreadName().startsWith(rule[0])) {
                    s.rulesByThread.put(t.getThreadId(), rule);
                    s.names.put(t.getThreadId(), t.getThreadName());
                }
            }
        }
        s.thread.setDaemon(true);
        s.thread.start();
        return s;
    }

    private void loop() {
        long[] ids = rulesByThread.keySet().stream().mapToLong(Long::longValue).toArray();
        try {
            while (running) {
                for (ThreadInfo t : THREADS.getThreadInfo(ids, 80)) {
                    if (t != null) {
                        record(t);
                    }
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private synchronized void record(ThreadInfo t) {
        String[] rule = rulesByThread.get(t.getThreadId());
        StackTraceElement[] stack = t.getStackTrace();
        String label = null;
        for (int i = 1; i < rule.length && label == null; i += 2) {
            for (StackTraceElement f : stack) {
                String frame = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                    + f.getMethodName();
                if (frame.contains(rule[i])) {
                    label = rule[i + 1];
                    break;
                }
            }
        }
        if (label == null) {
            label = stack.length == 0 ? "(no stack)" : "other: " + top(stack);
        }
        counts.computeIfAbsent(names.get(t.getThreadId()), k -> new HashMap<>()).merge(label, 1, Integer::sum);
    }

    private static String top(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
            }
        }
        StackTraceElement f = stack[0];
        return f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName();
    }

    /** Stops and returns one line per thread: its labels by share of the samples, largest first. */
    synchronized List<String> stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> e : counts.entrySet()) {
            int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            List<Map.Entry<String, Integer>> labels = new ArrayList<>(e.getValue().entrySet());
            labels.sort((x, y) -> y.getValue() - x.getValue());
            StringBuilder b = new StringBuilder(e.getKey()).append(':');
            for (Map.Entry<String, Integer> l : labels) {
                double pct = 100.0 * l.getValue() / total;
                if (pct >= 1) {
                    b.append(String.format(" %s %.0f%%,", l.getKey(), pct));
                }
            }
            b.setLength(b.length() - 1);
            out.add(b.toString());
        }
        return out;
    }
}
