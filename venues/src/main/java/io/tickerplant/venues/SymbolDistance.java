package io.tickerplant.venues;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Which listed symbols are closest to a mistyped one, for "did you mean" in configuration errors. */
final class SymbolDistance {
    private SymbolDistance() {
    }

    /** The {@code n} candidates with the smallest edit distance to {@code wanted}, ties in the candidates' order. */
    static List<String> closest(String wanted, Collection<String> candidates, int n) {
        return candidates.stream()
                .sorted(Comparator.comparingInt((String c) -> distance(wanted, c)))
                .limit(n).toList();
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
