package io.tickerplant.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own perf tools ({@code kafka-producer-perf-test}, {@code kafka-consumer-perf-test}) run in this JVM
 * against a broker, with their output both shown and parsed. They call {@code Exit} on bad arguments; that
 * becomes an exception here instead of ending the JVM.
 */
final class KafkaPerf {
    private static final Pattern PRODUCER_TOTAL = Pattern.compile(
        "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency,"
            + " ([\\d.]+) ms max latency(?:, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th)?.*");

    private KafkaPerf() {
    }

    /** What the producer tool reported for the whole run. */
    record ProducerResult(long records, double recordsPerSecond, double mbPerSecond, double avgLatencyMs,
                          double maxLatencyMs, String line) {
    }

    /** What the consumer tool reported: fetch rate excludes the group join. */
    record ConsumerResult(long records, double recordsPerSecond, double fetchRecordsPerSecond, String line) {
    }

    static ProducerResult producer(String bootstrap, String topic, long records, int recordSize, List<String> props)
        throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--topic", topic,
            "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
            "--throughput", "-1"));
        if (!props.isEmpty()) {
            args.add("--command-property");
            args.addAll(props);
        }
        String out = run("producer-perf", () -> ProducerPerformance.main(args.toArray(String[]::new)));
        for (String line : out.split("\n")) {
            Matcher m = PRODUCER_TOTAL.matcher(line.trim());
            if (m.matches() && m.group(6) != null) {
                return new ProducerResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                    line.trim());
            }
        }
        throw new IllegalStateException("no total line in the producer perf output:\n" + out);
    }

    static ConsumerResult consumer(String bootstrap, String topic, long records, String group) throws Exception {
        String[] args = {"--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(records),
            "--group", group, "--timeout", "30000"};
        String out = run("consumer-perf", () -> ConsumerPerformance.main(args));
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
        // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(",\\s*");
            if (f.length == 10 && f[4].matches("\\d+")) {
                return new ConsumerResult(Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[9]),
                    line.trim());
            }
        }
        throw new IllegalStateException("no result line in the consumer perf output:\n" + out);
    }

    private interface Tool {
        void run() throws Exception;
    }

    /** Runs a tool with System.out copied into a buffer (and still printed, indented). */
    private static synchronized String run(String name, Tool tool) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                captured.write(b);
                if (lineStart) {
                    original.print("    [" + name + "] ");
                }
                original.write(b);
                lineStart = b == '\n';
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException(name + " exited with status " + status + (message == null ? ""
                : ": " + message));
        });
        try {
            tool.run();
        } finally {
            Exit.resetExitProcedure();
            System.out.flush();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
