package io.tickerplant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Linux /proc figures: memory and CPU time of processes, and of the whole machine. */
final class ProcStats {
    /** USER_HZ: the unit of the CPU times in /proc; 100 on every mainstream Linux build. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** A field of /proc/PID/status in kB (VmRSS, VmHWM...), or -1 when unreadable. */
    static long statusKb(long pid, String field) {
        return kbField(Path.of("/proc/" + pid + "/status"), field);
    }

    /**
     * Proportional set size in kB: resident memory with each shared page divided among the processes sharing it,
     * so PostgreSQL's shared buffers are counted once over all its processes. -1 when unreadable.
     */
    static long pssKb(long pid) {
        return kbField(Path.of("/proc/" + pid + "/smaps_rollup"), "Pss");
    }

    private static long kbField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time of a process (all its threads) in clock ticks, or -1 if it is gone. */
    static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The parent pid, or -1. */
    static long parent(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** Fields of /proc/PID/stat after the command name: [0] is the state (field 3 of proc(5)). */
    private static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A PostgreSQL postmaster and its processes (backends, checkpointer, WAL writer...). */
    static List<Long> processTree(long root) {
        List<Long> out = new ArrayList<>();
        out.add(root);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(name);
                    if (parent(pid) == root) {
                        out.add(pid);
                    }
                }
            }
        } catch (IOException e) {
            // fine: the root alone
        }
        return out;
    }

    /** The postmaster pid from a data directory's postmaster.pid, or -1. */
    static long postmasterPid(Path dataRoot) {
        try (Stream<Path> files = Files.walk(dataRoot, 4)) {
            Path pidFile = files.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst()
                .orElse(null);
            return pidFile == null ? -1 : Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Machine-wide CPU ticks from /proc/stat: {busy, total} over all cores. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
