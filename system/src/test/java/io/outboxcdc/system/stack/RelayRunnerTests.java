package io.outboxcdc.system.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Issue 17: --relay=connect and its options.
class RelayRunnerTests {

    @Test
    void theEmbeddedRelayIsTheDefault() {
        assertThat(RelayRunner.from(Map.of(), Map.of())).isEqualTo(RelayRunner.embedded());
        assertThat(RelayRunner.from(Map.of(), Map.of()).onConnect()).isFalse();
    }

    @Test
    void connectRunsTwoWorkersOnConsecutivePortsWithExactlyOnceByDefault() {
        RelayRunner runner = RelayRunner.from(Map.of("relay", "connect"), Map.of());
        assertThat(runner.onConnect()).isTrue();
        assertThat(runner.connectPorts()).containsExactly(8083, 8084);
        assertThat(runner.exactlyOnce()).isTrue();

        RelayRunner moved = RelayRunner.from(Map.of("connect-port", "9100", "connect-exactly-once", "false"),
                Map.of("OUTBOXCDC_RELAY", "connect"));
        assertThat(moved.connectPorts()).isEqualTo(List.of(9100, 9101));
        assertThat(moved.exactlyOnce()).isFalse();
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> RelayRunner.from(Map.of("relay", "polling"), Map.of()))
                .hasMessageContaining("--relay must be embedded or connect");
        assertThatThrownBy(() -> RelayRunner.from(Map.of("relay", "connect", "connect-port", "x"), Map.of()))
                .hasMessageContaining("--connect-port");
    }
}
