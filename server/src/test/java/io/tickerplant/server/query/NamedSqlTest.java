package io.tickerplant.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void eachParameterBecomesAPlaceholderInOrderAndARepeatedOneIsBoundAgain() {
        NamedSql sql = NamedSql.parse("SELECT * FROM trades WHERE (:symbol IS NULL OR symbol = :symbol)"
                + " AND event_time >= :from_1 LIMIT :n");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM trades WHERE (? IS NULL OR symbol = ?)"
                + " AND event_time >= ? LIMIT ?");
        assertThat(sql.placeholders()).containsExactly("symbol", "symbol", "from_1", "n");
        assertThat(sql.names()).containsExactly("symbol", "from_1", "n");
    }

    @Test
    void placeholdersOfUntypedBindingsGetACastAndOthersStayBare() {
        NamedSql sql = NamedSql.parse("\n  SELECT coalesce(:to, 'infinity'), :n, :to::date, '?' ? :n");

        assertThat(sql.jdbcSql(Map.of("to", "timestamptz")))
                .isEqualTo("SELECT coalesce(?::timestamptz, 'infinity'), ?, ?::timestamptz::date, '?' ?? ?");
        assertThat(sql.jdbcSql(Map.of())).isEqualTo(sql.jdbcSql());
    }

    @Test
    void aColonInsideAStringConstantIsText() {
        NamedSql sql = NamedSql.parse("SELECT 'it''s :not_a_param', :real FROM t");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT 'it''s :not_a_param', ? FROM t");
        assertThat(sql.placeholders()).containsExactly("real");
    }

    @Test
    void anEscapeStringEndsOnlyAtAnUnescapedQuote() {
        NamedSql sql = NamedSql.parse("SELECT E'a\\' :still_text', e'\\\\', :p");

        assertThat(sql.placeholders()).containsExactly("p");
        assertThat(sql.jdbcSql()).isEqualTo("SELECT E'a\\' :still_text', e'\\\\', ?");
    }

    @Test
    void aBackslashInAStandardStringIsNotAnEscape() {
        // standard_conforming_strings: 'a\' is a complete string, so :p after it is a parameter
        NamedSql sql = NamedSql.parse("SELECT 'a\\', :p");

        assertThat(sql.placeholders()).containsExactly("p");
    }

    @Test
    void castsAreNotParameters() {
        NamedSql sql = NamedSql.parse("SELECT price::numeric, :size::numeric(20, 8), '1'::int FROM trades");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT price::numeric, ?::numeric(20, 8), '1'::int FROM trades");
        assertThat(sql.placeholders()).containsExactly("size");
    }

    @Test
    void commentsAreNotScannedForParameters() {
        NamedSql sql = NamedSql.parse("""
                SELECT 1 -- :comment and 'an unbalanced quote
                /* :block /* nested :deeper */ still :inside */
                WHERE x = :x""");

        assertThat(sql.placeholders()).containsExactly("x");
        assertThat(sql.jdbcSql()).contains("-- :comment").contains("still :inside */").endsWith("WHERE x = ?");
    }

    @Test
    void quotedIdentifiersAndDollarQuotedStringsAreLeftAlone() {
        NamedSql sql = NamedSql.parse("SELECT \":odd\"\"name\", $$ :a 'b $$, $tag$ :c $$ $tag$, a$b, :d");

        assertThat(sql.placeholders()).containsExactly("d");
        assertThat(sql.jdbcSql()).isEqualTo("SELECT \":odd\"\"name\", $$ :a 'b $$, $tag$ :c $$ $tag$, a$b, ?");
    }

    @Test
    void aQuestionMarkOperatorIsEscapedForTheDriver() {
        NamedSql sql = NamedSql.parse("SELECT deviations ? 'BINANCE', '?' FROM index_prices WHERE symbol = :s");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT deviations ?? 'BINANCE', '?' FROM index_prices WHERE symbol = ?");
    }

    @Test
    void anArraySliceWithNumbersHasNoParameter() {
        NamedSql sql = NamedSql.parse("SELECT (venues)[1:2], (venues)[1 : :n] FROM bbo");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT (venues)[1:2], (venues)[1 : ?] FROM bbo");
        assertThat(sql.placeholders()).containsExactly("n");
    }

    @Test
    void aTrailingSemicolonAndCommentAreDropped() {
        assertThat(NamedSql.parse("SELECT :a;  -- done\n").jdbcSql()).isEqualTo("SELECT ?");
    }

    @Test
    void aSecondStatementIsRefusedBecauseItCouldLeaveTheReadOnlyTransaction() {
        assertThatThrownBy(() -> NamedSql.parse("SELECT 1;\nCOMMIT; DELETE FROM trades"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("second statement")
                .hasMessageContaining("line 1, column 9");
    }

    @Test
    void aSemicolonInsideAStringIsNotTheEndOfTheStatement() {
        assertThat(NamedSql.parse("SELECT ';' || :a").placeholders()).containsExactly("a");
    }

    @Test
    void unterminatedStringsIdentifiersAndCommentsAreRefusedSayingWhere() {
        assertThatThrownBy(() -> NamedSql.parse("SELECT\n  'abc")).hasMessageContaining("unterminated string")
                .hasMessageContaining("line 2, column 3");
        assertThatThrownBy(() -> NamedSql.parse("SELECT \"abc")).hasMessageContaining("quoted identifier");
        assertThatThrownBy(() -> NamedSql.parse("SELECT /* /* */")).hasMessageContaining("unterminated comment");
        assertThatThrownBy(() -> NamedSql.parse("SELECT $x$ abc")).hasMessageContaining("dollar-quoted");
    }

    @Test
    void positionalParametersAreRefusedInFavourOfNames() {
        assertThatThrownBy(() -> NamedSql.parse("SELECT * FROM trades WHERE symbol = $1"))
                .hasMessageContaining("use :name parameters");
    }
}
