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

class FailureClassificationUnitTests {

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
    void retriesWhatSpringKafkaWouldTreatAsFatalByDefault() {
        // A conversion failure deep inside a database driver is not a bad record.
        assertThat(handler.retries(new ListenerExecutionFailedException("listener failed",
                new DataAccessResourceFailureException("gone", new ClassCastException("driver"))))).isTrue();
        assertThat(handler.retries(new MessageConversionException("converter"))).isTrue();
        assertThat(handler.retries(new IllegalStateException("bug"))).isTrue();
    }
}
