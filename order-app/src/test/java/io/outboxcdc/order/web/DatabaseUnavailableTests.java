package io.outboxcdc.order.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseUnavailableTests {

    @Test
    void aConnectionThatCannotBeOpenedMeansUnavailable() {
        assertThat(DatabaseUnavailable.isCause(new CannotCreateTransactionException("no connection"))).isTrue();
    }

    @Test
    void aServerShutdownSqlStateDeepInTheCauseChainMeansUnavailable() {
        SQLException shutdown = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(DatabaseUnavailable.isCause(new JpaSystemException(new RuntimeException(shutdown)))).isTrue();
    }

    @Test
    void aConstraintViolationOrABugIsNot() {
        assertThat(DatabaseUnavailable.isCause(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("bug"))).isFalse();
    }
}
