package io.tickerplant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per JVM thread between two snapshots, grouped by thread name with the numbers blanked out (the four
 * {@code data-plane-kafka-request-handler-N} count as one group), so one can see which stage burns the cores.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpu = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final long nanos = System.nanoTime();

    private ThreadCpu() {
    }

    static ThreadCpu snapshot() {
        ThreadCpu s = new ThreadCpu();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    s.cpu.put(t.getThreadId(), c);
                    s.names.put(t.getThreadId(), t.getThreadName());
                }
            }
        }
        return s;
    }

    /** One line per thread group, busiest first: % of one core between {@code before} and this snapshot. */
    List<String> report(ThreadCpu before, int top, double eventsPerSecond) {
        double wall = nanos - before.nanos;
        Map<String, double[]> groups = new HashMap<>(); // name -> {cpu nanos, threads, max single thread}
        for (Map.Entry<Long, Long> e : cpu.entrySet()) {
            long start = before.cpu.getOrDefault(e.getKey(), 0L);
            long used = e.getValue() - start;
            String group = group(names.get(e.getKey()));
            double[] g = groups.computeIfAbsent(group, k -> new double[3]);
            g[0] += used;
            g[1]++;
            g[2] = Math.max(g[2], used);
        }
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]));
        List<String> out = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, double[]> e : sorted) {
            total += e.getValue()[0];
        }
        out.add(String.format("all JVM threads: %.0f%% of one core", 100 * total / wall));
        for (Map.Entry<String, double[]> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            double[] g = e.getValue();
            out.add(String.format("%5.1f%% %5.1f us/trade  %-62s (%d thread%s, busiest %.1f%%)", 100 * g[0] / wall,
                g[0] / 1e3 / (wall / 1e9) / eventsPerSecond, truncate(e.getKey(), 62), (int) g[1],
                g[1] == 1 ? "" : "s", 100 * g[2] / wall));
        }
        return out;
    }

    /** CPU nanos per thread group, for callers that want to sum their own stages. */
    Map<String, Long> byGroup(ThreadCpu before) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<Long, Long> e : cpu.entrySet()) {
            long used = e.getValue() - before.cpu.getOrDefault(e.getKey(), 0L);
            out.merge(group(names.get(e.getKey())), used, Long::sum);
        }
        return out;
    }

    static String group(String name) {
        return name.replaceAll("\\d+", "#");
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
