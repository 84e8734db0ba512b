package io.outboxcdc.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

// Issue 3: the application connects as a role that can write only its own tables.
class LeastPrivilegeIntegrationTests extends OrderAppIntegrationTestSupport {

    @Test
    void theApplicationRunsAsOrderAppNotAsTheSchemaOwner() {
        assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("order_app");
        assertThat(jdbc.queryForObject("SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication "
                + "FROM pg_roles WHERE rolname = current_user", Boolean.class)).isFalse();
    }

    @Test
    void itCannotChangeTheSchemaTheRelaysTablesOrTheMigrationHistory() {
        assertThatThrownBy(() -> jdbc.execute("CREATE TABLE intruder (id int)"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("UPDATE outbox_heartbeat SET last_beat_at = now()"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("UPDATE outbox SET type = 'x' WHERE false"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM flyway_schema_history"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE orders"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("must be owner");
    }
}
