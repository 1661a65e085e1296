package io.tickerplant.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --name value} and {@code --name=value} flags with defaults. Every flag a benchmark reads is listed by
 * {@code --help} with its default; an unknown flag is an error, so a typo never silently runs the default.
 */
final class BenchArgs {
    private final Map<String, String> given = new LinkedHashMap<>();
    private final Map<String, String> known = new TreeMap<>();
    private final String usage;

    BenchArgs(String usage, String[] args) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --flag, got '" + a + "'");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                given.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                given.put(name, args[++i]);
            } else {
                given.put(name, "true");
            }
        }
    }

    private String raw(String name, String def, String doc) {
        known.put(name, def + "  " + doc);
        return given.getOrDefault(name, def);
    }

    int integer(String name, int def, String doc) {
        return Integer.parseInt(raw(name, Integer.toString(def), doc).replace("_", ""));
    }

    double decimal(String name, double def, String doc) {
        return Double.parseDouble(raw(name, Double.toString(def), doc).replace("_", ""));
    }

    boolean bool(String name, boolean def, String doc) {
        return Boolean.parseBoolean(raw(name, Boolean.toString(def), doc));
    }

    String text(String name, String def, String doc) {
        return raw(name, def, doc);
    }

    /** Call after reading every flag: prints help and returns false for --help, fails on unknown flags. */
    boolean check() {
        if (given.containsKey("help")) {
            System.out.println(usage);
            known.forEach((k, v) -> System.out.printf("  --%-22s %s%n", k, v));
            return false;
        }
        for (String name : given.keySet()) {
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "; known: " + known.keySet());
            }
        }
        return true;
    }

    /** The effective settings, one line, for the header of a report. */
    String summary() {
        StringBuilder b = new StringBuilder();
        for (String k : known.keySet()) {
            String v = known.get(k);
            String def = v.substring(0, v.indexOf("  "));
            b.append(b.length() == 0 ? "" : " ").append("--").append(k).append(' ').append(given.getOrDefault(k, def));
        }
        return b.toString();
    }
}
