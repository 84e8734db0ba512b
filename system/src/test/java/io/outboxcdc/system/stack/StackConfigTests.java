package io.outboxcdc.system.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

// Issue 17: --brokers=3 gives three Kafka nodes on ports derived from --kafka-port; one broker stays as before.
class StackConfigTests {

    @Test
    void oneBrokerByDefault() {
        StackConfig config = StackConfig.from(Map.of(), Map.of());

        assertThat(config.kafkaBrokers()).isEqualTo(1);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(config.ports()).containsOnlyKeys(StackConfig.DEFAULT_PORTS.keySet());
    }

    @Test
    void threeBrokersListenTenPortsApartAndAreAllBootstrapServers() {
        StackConfig config = StackConfig.from(Map.of("brokers", "3", "kafka-port", "29092",
                "kafka-controller-port", "29093"), Map.of());

        assertThat(config.kafkaPorts()).containsExactly(29092, 29102, 29112);
        assertThat(config.kafkaControllerPorts()).containsExactly(29093, 29103, 29113);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("127.0.0.1:29092,127.0.0.1:29102,127.0.0.1:29112");
        assertThat(config.ports()).containsEntry("kafka-port+10", 29102).containsEntry("kafka-controller-port+20", 29113);
    }

    @Test
    void theBrokerCountComesFromTheEnvironmentToo() {
        assertThat(StackConfig.from(Map.of(), Map.of("OUTBOXCDC_BROKERS", "3")).kafkaBrokers()).isEqualTo(3);
    }

    @Test
    void portsOfDifferentNodesMustNotOverlap() {
        assertThatThrownBy(() -> StackConfig.from(Map.of("brokers", "3", "kafka-port", "29092",
                "kafka-controller-port", "29102"), Map.of())).hasMessageContaining("one port");
    }

    @Test
    void onlyTheTestedClusterSizesAreAccepted() {
        assertThatThrownBy(() -> StackConfig.from(Map.of("brokers", "2"), Map.of()))
                .hasMessageContaining("--brokers must be 1 or 3");
        assertThatThrownBy(() -> StackConfig.from(Map.of("brokers", "three"), Map.of()))
                .hasMessageContaining("--brokers must be 1 or 3");
    }
}
