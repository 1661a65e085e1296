package io.tickerplant.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a new JDBC connection, e.g. {@code () -> DriverManager.getConnection(url, user, password)} or
 * {@code localPostgres::connect}. Writers hold one and call it again after a lost connection.
 */
@FunctionalInterface
public interface ConnectionFactory {
    Connection connect() throws SQLException;
}
