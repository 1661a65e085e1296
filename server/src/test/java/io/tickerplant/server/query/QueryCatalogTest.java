package io.tickerplant.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCatalogTest {

    private static QueryCatalog catalog(String yaml) {
        return QueryCatalog.of("test.yaml", yaml);
    }

    private static String oneQuery(String parameters, String sql) {
        return "queries:\n  - name: q\n    description: d\n" + parameters + "    sql: " + sql + "\n";
    }

    @Test
    void theBuiltInQueriesLoadWithTheirParameters() {
        QueryCatalog builtIn = QueryCatalog.builtIn();

        assertThat(builtIn.names()).contains("trade-volume-hourly", "oracle-deviation-hourly", "latest-candles");
        NamedQuery volume = builtIn.get("trade-volume-hourly").orElseThrow();
        assertThat(volume.source()).isEqualTo("classpath:queries/default-queries.yaml");
        assertThat(volume.parameter("from").orElseThrow().type()).isEqualTo(ParameterType.TIMESTAMP);
        assertThat(volume.parameter("from").orElseThrow().optional()).isTrue();
        QueryParameter symbol = builtIn.get("latest-candles").orElseThrow().parameter("symbol").orElseThrow();
        assertThat(symbol.optional()).isFalse();
        assertThat(builtIn.get("latest-candles").orElseThrow().parameter("interval").orElseThrow().defaultValue())
                .isEqualTo("1m");
    }

    @Test
    void typedDefaultsAreReadAsTheirType() {
        NamedQuery q = catalog(oneQuery("    parameters:\n      n: {type: int, default: 10}\n"
                + "      x: {type: numeric, default: '0.50'}\n      b: {type: boolean, default: true}\n",
                "SELECT :n, :x, :b")).get("q").orElseThrow();

        assertThat(q.parameter("n").orElseThrow().defaultValue()).isEqualTo(10L);
        assertThat(q.parameter("x").orElseThrow().defaultValue()).hasToString("0.50");
        assertThat(q.parameter("b").orElseThrow().defaultValue()).isEqualTo(true);
    }

    @Test
    void aDuplicateNameIsRefusedNamingTheFileAndTheQuery() {
        assertThatThrownBy(() -> catalog("""
                queries:
                  - {name: a, description: d, sql: SELECT 1}
                  - {name: a, description: d, sql: SELECT 2}
                """))
                .isInstanceOf(QueryFileException.class)
                .hasMessage("queries file test.yaml: query 'a': duplicate name (queries #1 and #2)");
    }

    @Test
    void aParameterTheSqlUsesButTheQueryDoesNotDeclareIsRefused() {
        assertThatThrownBy(() -> catalog(oneQuery("", "SELECT * FROM trades WHERE symbol = :symbol")))
                .hasMessage("queries file test.yaml: query 'q': the sql uses :symbol but the query does not declare"
                        + " it under parameters");
    }

    @Test
    void aDeclaredParameterTheSqlDoesNotUseIsRefused() {
        assertThatThrownBy(() -> catalog(oneQuery("    parameters:\n      venue: {type: string}\n",
                "SELECT ':venue' -- :venue")))
                .hasMessage("queries file test.yaml: query 'q': parameter 'venue' is declared but the sql does not"
                        + " use :venue");
    }

    @Test
    void anUnknownTypeIsRefusedListingTheTypes() {
        assertThatThrownBy(() -> catalog(oneQuery("    parameters:\n      x: {type: float}\n", "SELECT :x")))
                .hasMessage("queries file test.yaml: query 'q': parameter 'x': unknown type 'float' (types: string,"
                        + " int, numeric, boolean, timestamp)");
    }

    @Test
    void aDefaultOfTheWrongTypeIsRefused() {
        assertThatThrownBy(() -> catalog(oneQuery("    parameters:\n      from: {type: timestamp, default: soon}\n",
                "SELECT :from")))
                .hasMessageContaining("query 'q': parameter 'from': default 'soon' is not a timestamp");
    }

    @Test
    void thePagingParametersAreReserved() {
        assertThatThrownBy(() -> catalog(oneQuery("    parameters:\n      limit: {type: int}\n", "SELECT :limit")))
                .hasMessageContaining("parameter 'limit': 'limit' is reserved for paging");
    }

    @Test
    void aMisspelledFieldIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> catalog(oneQuery("    parameters:\n      x: {type: int, defualt: 3}\n",
                "SELECT :x")))
                .hasMessageContaining("parameter 'x': unknown field 'defualt' (expected default, description, type)");
        assertThatThrownBy(() -> catalog("queries:\n  - {name: q, description: d, sql: SELECT 1, parmeters: {}}\n"))
                .hasMessageContaining("query 'q': unknown field 'parmeters'");
    }

    @Test
    void missingFieldsAndBadNamesAreRefused() {
        assertThatThrownBy(() -> catalog("queries:\n  - {description: d, sql: SELECT 1}\n"))
                .hasMessage("queries file test.yaml: query #1: 'name' is missing or empty");
        assertThatThrownBy(() -> catalog("queries:\n  - {name: q, sql: SELECT 1}\n"))
                .hasMessage("queries file test.yaml: query 'q': 'description' is missing or empty");
        assertThatThrownBy(() -> catalog("queries:\n  - {name: Bad Name, description: d, sql: SELECT 1}\n"))
                .hasMessageContaining("query 'Bad Name': the name must be lower-case letters");
        assertThatThrownBy(() -> catalog("queries: {}\n")).hasMessageContaining("a top-level 'queries:' list");
    }

    @Test
    void sqlThatCannotBeScannedIsRefusedWithTheReason() {
        assertThatThrownBy(() -> catalog(oneQuery("", "\"SELECT 1; DELETE FROM trades\"")))
                .hasMessageStartingWith("queries file test.yaml: query 'q': sql: a second statement after ';'");
    }

    @Test
    void invalidYamlIsRefusedWithTheLine() {
        assertThatThrownBy(() -> catalog("queries:\n  - name: [unclosed\n"))
                .hasMessageStartingWith("queries file test.yaml: not valid YAML at line");
        assertThatThrownBy(() -> catalog("queries:\n  - {name: q, name: r, description: d, sql: SELECT 1}\n"))
                .hasMessageContaining("not valid YAML").hasMessageContaining("name");
    }

    @Test
    void aUserFileAddsQueriesAndReplacesBuiltInOnesOfTheSameName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, """
                queries:
                  - name: latest-candles
                    description: mine now
                    sql: SELECT 1 AS one
                  - name: extra
                    description: an addition
                    sql: SELECT 2 AS two
                """);

        QueryCatalog catalog = QueryCatalog.load(Optional.of(file));

        assertThat(catalog.get("latest-candles").orElseThrow().description()).isEqualTo("mine now");
        assertThat(catalog.get("latest-candles").orElseThrow().source()).isEqualTo(file.toString());
        assertThat(catalog.names()).contains("trade-volume-hourly", "extra");
    }

    @Test
    void aUserFileThatDoesNotExistIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> QueryCatalog.load(Optional.of(dir.resolve("nope.yaml"))))
                .isInstanceOf(QueryFileException.class)
                .hasMessageContaining("nope.yaml does not exist");
    }
}
