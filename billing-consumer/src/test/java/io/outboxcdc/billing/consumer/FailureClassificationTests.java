package io.outboxcdc.billing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.billing.event.PoisonRecordException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;

class FailureClassificationTests {

    /** Exposes the handler's verdict: true = retry, false = recover (dead-letter) at once. */
    static final class Probe extends DefaultErrorHandler {
        boolean retries(Throwable failure) {
            return getExceptionMatcher().match(failure);
        }
    }

    private final Probe handler = FailureClassification.apply(new Probe());

    @Test
    void sendsPoisonToTheDeadLetterTopicEvenWhenTheListenerAdapterWrapsIt() {
        assertThat(handler.retries(new PoisonRecordException("bad"))).isFalse();
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed",
                new PoisonRecordException("bad")))).isFalse();
        assertThat(handler.retries(new DeserializationException("bad bytes", new byte[0], false, null))).isFalse();
    }

    @Test
    void retriesDatabaseFailuresHoweverTheyAreWrapped() {
        CannotGetJdbcConnectionException down = new CannotGetJdbcConnectionException("db down",
                new SQLTransientConnectionException("refused"));

        assertThat(handler.retries(down)).isTrue();
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed", down))).isTrue();
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed",
                new CannotAcquireLockException("deadlock")))).isTrue();
        assertThat(handler.retries(new DataAccessResourceFailureException("gone"))).isTrue();
    }

    @Test
    void retriesOnlyTransientDatabaseFailuresAndBlamesRecordsForTheRest() {
        assertThat(FailureClassification.classify(sql("40001"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(sql("40P01"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(sql("57P03"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(sql("08006"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(sql("42501"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(new org.springframework.transaction.TransactionSystemException(
                "rollback failed"))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(new DataAccessResourceFailureException("closed",
                new java.sql.SQLException("Connection is closed")))).isEqualTo(FailureClassification.Kind.TRANSIENT);
        assertThat(FailureClassification.classify(sql("22021"))).isEqualTo(FailureClassification.Kind.RECORD_FAILURE);
        assertThat(FailureClassification.classify(sql("23514"))).isEqualTo(FailureClassification.Kind.RECORD_FAILURE);
        assertThat(FailureClassification.classify(new IllegalStateException("bug")))
                .isEqualTo(FailureClassification.Kind.RECORD_FAILURE);
        assertThat(FailureClassification.classify(new RecordRefusedException("23514", "refused", null)))
                .isEqualTo(FailureClassification.Kind.POISON);
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed",
                new RecordRefusedException("23514", "refused", null)))).isFalse();
        assertThat(FailureClassification.sqlState(new ListenerExecutionFailedException("x", sql("22008"))))
                .isEqualTo("22008");
    }

    private static RuntimeException sql(String state) {
        return new org.springframework.jdbc.UncategorizedSQLException("batch", "INSERT ...",
                new java.sql.SQLException("refused", state));
    }

    @Test
    void retriesWhatSpringKafkaWouldTreatAsFatalByDefault() {
        // A conversion failure deep inside a database driver is not a bad record.
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed",
                new DataAccessResourceFailureException("gone", new ClassCastException("driver"))))).isTrue();
        assertThat(handler.retries(new MessageConversionException("converter"))).isTrue();
        assertThat(handler.retries(new IllegalStateException("bug"))).isTrue();
    }
}
