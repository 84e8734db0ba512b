package io.outboxcdc.order.web;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a failure that says "the database is not there right now" (restart, failover, connection
 * lost) rather than "this request is wrong" or "the code is wrong": such a request may simply be retried.
 */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof TransientDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof SQLTransientException) {
                return true;
            }
            // 08xxx: connection exceptions; 57P0x: server shutting down or restarting (admin/crash shutdown).
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
