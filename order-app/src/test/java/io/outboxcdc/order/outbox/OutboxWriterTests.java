package io.outboxcdc.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboxWriterTests {

    @Test
    void forwardsOnlyWellFormedW3cTraceparents() {
        assertThat(OutboxWriter.isValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isTrue();
        assertThat(OutboxWriter.isValidTraceparent(null)).isFalse();
        assertThat(OutboxWriter.isValidTraceparent("garbage")).isFalse();
        assertThat(OutboxWriter.isValidTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isFalse();
        assertThat(OutboxWriter.isValidTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isFalse();
        assertThat(OutboxWriter.isValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isFalse();
        assertThat(OutboxWriter.isValidTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isFalse();
    }
}
