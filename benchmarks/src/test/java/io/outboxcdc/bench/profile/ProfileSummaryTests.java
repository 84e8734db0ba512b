package io.outboxcdc.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Costs are named by the library that asked for the work (issue 15). */
class ProfileSummaryTests {

    @Test
    void namesTheLibraryOfAClass() {
        assertThat(ProfileSummary.library("org.hibernate.validator.internal.engine.ValidatorImpl"))
                .isEqualTo("Hibernate Validator");
        assertThat(ProfileSummary.library("org.hibernate.engine.spi.ActionQueue")).isEqualTo("Hibernate ORM");
        assertThat(ProfileSummary.library("org.postgresql.core.v3.QueryExecutorImpl")).isEqualTo("PostgreSQL JDBC driver");
        assertThat(ProfileSummary.library("io.outboxcdc.order.OrderService")).isEqualTo("our code");
        assertThat(ProfileSummary.library("com.example.Thing")).isEqualTo("com.example");
        assertThat(ProfileSummary.isJdk("sun.nio.ch.SocketDispatcher")).isTrue();
        assertThat(ProfileSummary.isJdk("org.apache.kafka.common.network.Selector")).isFalse();
    }
}
