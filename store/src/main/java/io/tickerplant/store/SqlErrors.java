package io.tickerplant.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Says whether a database failure is worth retrying, from its SQLSTATE.
 *
 * <p>Retriable: the same batch can succeed later, unchanged: the connection went away (class 08, admin or crash
 * shutdown 57P01-57P03, idle timeout 57P05), the server lacks resources (class 53: disk full, out of memory, too many connections),
 * concurrency lost a race (40001 serialization failure, 40P01 deadlock, 55P03 lock timeout), a statement timeout
 * (57014), an I/O error on the server (58030), or no SQLSTATE at all but a socket failure underneath.
 *
 * <p>Not retriable: the data or the statement is wrong and will be wrong again: data exceptions (class 22),
 * integrity violations (class 23), syntax or missing objects (class 42), and anything unknown. A sink retries the
 * first kind with backoff and sends the second kind to the dead-letter topic.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** True when retrying the same operation unchanged may succeed. */
    public static boolean isRetriable(Throwable t) {
        for (Throwable e : chain(t)) {
            if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
                return true;
            }
            if (e instanceof SQLException) {
                String state = ((SQLException) e).getSQLState();
                if (state != null && isRetriableState(state)) {
                    return true;
                }
            }
            if (isConnectionFailure(e)) {
                return true;
            }
        }
        return false;
    }

    /** True when the connection is gone or unusable and must be replaced before retrying. */
    public static boolean isConnectionLost(Throwable t) {
        for (Throwable e : chain(t)) {
            if (isConnectionFailure(e)) {
                return true;
            }
        }
        return false;
    }

    /** The first SQLSTATE found in the cause chain, or null. */
    public static String sqlState(Throwable t) {
        for (Throwable e : chain(t)) {
            if (e instanceof SQLException) {
                String state = ((SQLException) e).getSQLState();
                if (state != null && !state.isEmpty()) {
                    return state;
                }
            }
        }
        return null;
    }

    /** One line for logs and dead-letter headers: {@code SQLSTATE 23505: duplicate key value ...}. */
    public static String describe(Throwable t) {
        String state = sqlState(t);
        String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
        return state == null ? t.getClass().getSimpleName() + ": " + message : "SQLSTATE " + state + ": " + message;
    }

    static boolean isRetriableState(String state) {
        if (state.length() != 5) {
            return false;
        }
        switch (state.substring(0, 2)) {
            case "08": // connection exception
            case "53": // insufficient resources
                return true;
            case "40": // transaction rollback; 40002 (integrity violation at commit) would fail again
                return !state.equals("40002");
            default:
                break;
        }
        switch (state) {
            case "57P01": // admin_shutdown
            case "57P02": // crash_shutdown
            case "57P03": // cannot_connect_now (starting up, recovering)
            case "57P05": // idle_session_timeout
            case "57014": // query_canceled (statement timeout)
            case "55P03": // lock_not_available
            case "58030": // io_error
                return true;
            default:
                return false;
        }
    }

    private static boolean isConnectionFailure(Throwable e) {
        if (e instanceof SQLException) {
            String state = ((SQLException) e).getSQLState();
            return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("57P05"));
        }
        return e instanceof IOException;
    }

    /** Causes and JDBC's chained next-exceptions, each once. */
    private static Iterable<Throwable> chain(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        List<Throwable> out = new ArrayList<>();
        if (t != null) {
            todo.add(t);
        }
        while (!todo.isEmpty()) {
            Throwable e = todo.poll();
            if (!seen.add(e)) {
                continue;
            }
            out.add(e);
            if (e.getCause() != null) {
                todo.add(e.getCause());
            }
            if (e instanceof SQLException && ((SQLException) e).getNextException() != null) {
                todo.add(((SQLException) e).getNextException());
            }
        }
        return out;
    }
}
