package io.tickerplant.server.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A SQL statement with {@code :name} parameters, rewritten for JDBC: each {@code :name} becomes a {@code ?} that is
 * bound through a {@link java.sql.PreparedStatement}, so a value never becomes part of the SQL text.
 *
 * <p>The scan follows PostgreSQL's lexical rules far enough to leave alone what only looks like a parameter: string
 * constants ({@code 'it''s :x'}, {@code E'\':x'}), quoted identifiers ({@code ":x"}), dollar-quoted strings
 * ({@code $$:x$$}), comments ({@code -- :x}, nested {@code /* :x *}{@code /}) and casts ({@code ::numeric}). A
 * {@code ?} of the SQL itself (the jsonb operator) is doubled, which is how pgjdbc escapes it. A parameter name is
 * ASCII letters, digits and underscores, not starting with a digit: {@code a[1:2]} holds no parameter, but a slice
 * between column names needs spaces ({@code a[lo : hi]}), or {@code :hi} is read as one.
 *
 * <p>One statement only: a {@code ;} followed by more SQL is refused, because the driver would run the second
 * statement after the first, where a {@code COMMIT} could end the read-only transaction the query runs in.
 *
 * @param jdbcSql the statement with {@code ?} placeholders and no trailing semicolon
 * @param placeholders the parameter name of each {@code ?}, in order (a name used twice appears twice)
 * @param offsets where each placeholder's {@code ?} is in {@code jdbcSql}
 */
public record NamedSql(String jdbcSql, List<String> placeholders, List<Integer> offsets) {

    public NamedSql {
        placeholders = List.copyOf(placeholders);
        offsets = List.copyOf(offsets);
        if (offsets.size() != placeholders.size()) {
            throw new IllegalArgumentException("one offset per placeholder");
        }
    }

    /**
     * {@link #jdbcSql()} with a cast after the placeholders of some parameters, e.g. {@code ?::timestamptz}: the
     * driver sends some values (timestamps, and any NULL of them) with no type, and PostgreSQL would then guess one
     * from the context, wrongly in {@code coalesce(:to, 'infinity')}.
     *
     * @param casts parameter name to the type it is cast to; parameters not in the map are left as they are
     */
    public String jdbcSql(java.util.Map<String, String> casts) {
        StringBuilder out = new StringBuilder(jdbcSql.length() + 16 * offsets.size());
        int from = 0;
        for (int k = 0; k < offsets.size(); k++) {
            String cast = casts.get(placeholders.get(k));
            if (cast != null) {
                int after = offsets.get(k) + 1;
                out.append(jdbcSql, from, after).append("::").append(cast);
                from = after;
            }
        }
        return out.append(jdbcSql, from, jdbcSql.length()).toString();
    }

    /** The distinct parameter names, in order of first use. */
    public Set<String> names() {
        return new LinkedHashSet<>(placeholders);
    }

    /**
     * @throws IllegalArgumentException for an unterminated string, identifier or comment, a second statement or a
     *     positional parameter ({@code $1}), saying where
     */
    public static NamedSql parse(String sql) {
        return new Scanner(sql).scan();
    }

    private static final class Scanner {
        private final String in;
        private final StringBuilder out = new StringBuilder();
        private final List<String> names = new ArrayList<>();
        private final List<Integer> offsets = new ArrayList<>();
        private int i;

        Scanner(String in) {
            this.in = in;
        }

        NamedSql scan() {
            while (i < in.length()) {
                char c = in.charAt(i);
                if (c == '\'') {
                    quoted('\'', escapeStringBefore(i));
                } else if (c == '"') {
                    quoted('"', false);
                } else if (c == '-' && peek(1) == '-') {
                    lineComment();
                } else if (c == '/' && peek(1) == '*') {
                    blockComment();
                } else if (c == '$' && dollarTagAt(i) != null) {
                    dollarQuoted(dollarTagAt(i));
                } else if (c == '$' && Character.isDigit(peek(1)) && !identifierPart(peekBack(1))) {
                    throw error("positional parameter $" + peek(1) + ": use :name parameters");
                } else if (c == ':' && peek(1) == ':') {
                    out.append("::");
                    i += 2;
                } else if (c == ':' && parameterStart(peek(1))) {
                    parameter();
                } else if (c == '?') {
                    out.append("??");
                    i++;
                } else if (c == ';') {
                    endOfStatement();
                } else {
                    out.append(c);
                    i++;
                }
            }
            // Leading whitespace is kept until here so that the offsets stay right; strip only the end.
            String sql = out.toString().stripTrailing();
            int lead = sql.length() - sql.strip().length();
            return new NamedSql(sql.strip(), names, offsets.stream().map(o -> o - lead).toList());
        }

        private void parameter() {
            int start = ++i;
            while (i < in.length() && parameterPart(in.charAt(i))) {
                i++;
            }
            names.add(in.substring(start, i));
            offsets.add(out.length());
            out.append('?');
        }

        /** Only whitespace and comments may follow a semicolon. */
        private void endOfStatement() {
            int at = i++;
            while (i < in.length()) {
                char c = in.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && peek(1) == '-') {
                    int mark = out.length();
                    lineComment();
                    out.setLength(mark);
                } else if (c == '/' && peek(1) == '*') {
                    int mark = out.length();
                    blockComment();
                    out.setLength(mark);
                } else {
                    i = at;
                    throw error("a second statement after ';': a named query is one statement");
                }
            }
        }

        /** {@code 'text'} with {@code ''} for a quote, or {@code E'te\'xt'} where a backslash escapes too. */
        private void quoted(char quote, boolean backslashEscapes) {
            int start = i;
            out.append(in.charAt(i++));
            while (i < in.length()) {
                char c = in.charAt(i);
                out.append(c);
                i++;
                if (backslashEscapes && c == '\\' && i < in.length()) {
                    out.append(in.charAt(i++));
                } else if (c == quote) {
                    if (peek(0) == quote) {
                        out.append(in.charAt(i++));
                    } else {
                        return;
                    }
                }
            }
            i = start;
            throw error("unterminated " + (quote == '"' ? "quoted identifier" : "string"));
        }

        private void lineComment() {
            while (i < in.length() && in.charAt(i) != '\n') {
                out.append(in.charAt(i++));
            }
        }

        /** PostgreSQL's block comments nest. */
        private void blockComment() {
            int start = i;
            int depth = 0;
            while (i < in.length()) {
                if (in.startsWith("/*", i)) {
                    depth++;
                    out.append("/*");
                    i += 2;
                } else if (in.startsWith("*/", i)) {
                    depth--;
                    out.append("*/");
                    i += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    out.append(in.charAt(i++));
                }
            }
            i = start;
            throw error("unterminated comment");
        }

        private void dollarQuoted(String tag) {
            int end = in.indexOf(tag, i + tag.length());
            if (end < 0) {
                throw error("unterminated dollar-quoted string " + tag);
            }
            out.append(in, i, end + tag.length());
            i = end + tag.length();
        }

        /** {@code $$} or {@code $tag$} starting at {@code at}, or null. */
        private String dollarTagAt(int at) {
            if (at > 0 && identifierPart(in.charAt(at - 1))) {
                return null; // a '$' inside an identifier such as a$b
            }
            int j = at + 1;
            if (j < in.length() && identifierStart(in.charAt(j))) {
                while (j < in.length() && identifierPart(in.charAt(j)) && in.charAt(j) != '$') {
                    j++;
                }
            }
            return j < in.length() && in.charAt(j) == '$' ? in.substring(at, j + 1) : null;
        }

        /** An {@code E} or {@code e} right before the quote that is not the end of a longer word. */
        private boolean escapeStringBefore(int quoteAt) {
            if (quoteAt == 0) {
                return false;
            }
            char e = in.charAt(quoteAt - 1);
            return (e == 'E' || e == 'e') && (quoteAt < 2 || !identifierPart(in.charAt(quoteAt - 2)));
        }

        private char peek(int ahead) {
            return i + ahead < in.length() ? in.charAt(i + ahead) : '\0';
        }

        private char peekBack(int back) {
            return i - back >= 0 ? in.charAt(i - back) : '\0';
        }

        private IllegalArgumentException error(String what) {
            int line = 1;
            int column = 1;
            for (int k = 0; k < i && k < in.length(); k++) {
                if (in.charAt(k) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new IllegalArgumentException(what + " (SQL line " + line + ", column " + column + ")");
        }
    }

    /** A parameter name: {@code [A-Za-z_][A-Za-z0-9_]*}. */
    static boolean parameterStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean parameterPart(char c) {
        return parameterStart(c) || (c >= '0' && c <= '9');
    }

    static boolean identifierStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    static boolean identifierPart(char c) {
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }
}
