package io.outboxcdc.billing.consumer;

import io.outboxcdc.billing.event.PoisonRecordException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.TransactionException;

/**
 * What a failure means for the records involved.
 *
 * <ul>
 *   <li>{@link Kind#POISON}: the record can never be applied (the parser refused it, it could not be
 *   deserialized, or the database refused it alone): to the dead-letter topic at once.</li>
 *   <li>{@link Kind#TRANSIENT}: the records are not to blame and a later attempt can succeed: a failure to
 *   begin, commit or roll back a transaction, a driver or pool failure without SQL state, lost or refused
 *   connections (SQL state class 08, 57P01-57P03 database shutting down or starting), serialization failures
 *   (40001), deadlocks (40P01), lock timeouts (55P03), exhausted resources (53), system and internal errors
 *   (58, XX), and environment faults no record causes (42 missing table or privilege, 28 authentication, 3D no
 *   database): retried with back-off; a partition that stays stuck turns health DOWN.</li>
 *   <li>{@link Kind#RECORD_FAILURE}: anything else (a data exception the parser did not foresee, a constraint,
 *   a bug that only some records trigger): the batch is split until the record that fails alone is found,
 *   which is then poison.</li>
 * </ul>
 */
public final class FailureClassification {

    public enum Kind { POISON, TRANSIENT, RECORD_FAILURE }

    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "40003", "55P03", "55006",
            "57P01", "57P02", "57P03", "57P04", "57P05", "57014");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58", "XX", "42", "28", "3D");

    private FailureClassification() {
    }

    /** Poison goes straight to the recoverer (dead-letter topic); everything else is retried with back-off. */
    public static <T extends DefaultErrorHandler> T apply(T handler) {
        handler.setClassifications(Map.of(
                PoisonRecordException.class, false,
                DeserializationException.class, false,
                RecordRefusedException.class, false), true);
        return handler;
    }

    public static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PoisonRecordException || t instanceof DeserializationException
                    || t instanceof RecordRefusedException) {
                return Kind.POISON;
            }
            // Beginning, committing or rolling back failed: the connection's fault, whatever happened before.
            if (t instanceof TransactionException) {
                return Kind.TRANSIENT;
            }
            // A driver or pool failure (closed connection, pool timeout): PostgreSQL's own refusals carry a state.
            if (t instanceof SQLException sql && sqlState(sql) == null) {
                return Kind.TRANSIENT;
            }
        }
        String sqlState = sqlState(failure);
        if (sqlState != null) {
            return TRANSIENT_STATES.contains(sqlState) || sqlState.length() == 5
                    && TRANSIENT_CLASSES.contains(sqlState.substring(0, 2)) ? Kind.TRANSIENT : Kind.RECORD_FAILURE;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof java.io.IOException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.RECORD_FAILURE;
    }

    /** The SQL state of the first {@link SQLException} in the cause chain that carries one. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        return e.getSQLState();
                    }
                }
            }
        }
        return null;
    }
}
