package io.tickerplant.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08003", "08006", "08001", "08P01", "40001", "40P01", "53100", "53200", "53300",
        "57P01", "57P02", "57P03", "57014", "55P03", "58030"})
    void transientFailuresAreRetriable(String state) {
        assertThat(SqlErrors.isRetriable(new SQLException("x", state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"22003", "22P02", "22021", "22008", "23505", "23514", "23502", "42P01", "42703", "0A000",
        "40002", "XX000", "25P02", "57P04", "", "8"})
    void dataAndStatementErrorsAreNotRetriable(String state) {
        assertThat(SqlErrors.isRetriable(new SQLException("x", state))).isFalse();
    }

    @Test
    void aSocketFailureWithoutSqlStateIsRetriableAndLosesTheConnection() {
        SQLException e = new SQLException("I/O error", null, new SocketException("Connection reset"));
        assertThat(SqlErrors.isRetriable(e)).isTrue();
        assertThat(SqlErrors.isConnectionLost(e)).isTrue();
    }

    @Test
    void looksThroughWrappersAndChainedExceptions() {
        SQLException next = new SQLException("terminating connection due to administrator command", "57P01");
        BatchUpdateException batch = new BatchUpdateException("batch failed", "", new int[0]);
        batch.setNextException(next);
        RuntimeException wrapped = new RuntimeException(batch);
        assertThat(SqlErrors.isRetriable(wrapped)).isTrue();
        assertThat(SqlErrors.isConnectionLost(wrapped)).isTrue();
        assertThat(SqlErrors.sqlState(wrapped)).isEqualTo("57P01");
    }

    @Test
    void aDataErrorDoesNotLoseTheConnection() {
        assertThat(SqlErrors.isConnectionLost(new SQLException("bad", "22P02"))).isFalse();
        assertThat(SqlErrors.isConnectionLost(new IllegalArgumentException("x"))).isFalse();
        assertThat(SqlErrors.isRetriable(new IllegalArgumentException("x", new IOException("y")))).isTrue();
    }

    @Test
    void describesWithStateAndFirstLine() {
        assertThat(SqlErrors.describe(new SQLException("duplicate key\n  Detail: ...", "23505")))
            .isEqualTo("SQLSTATE 23505: duplicate key");
        assertThat(SqlErrors.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }
}
