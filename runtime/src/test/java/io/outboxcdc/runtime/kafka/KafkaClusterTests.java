package io.outboxcdc.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Issue 17: the layout of a cluster's nodes; no process is started here.
class KafkaClusterTests {

    @Test
    void aClusterOfThreeHasThreeNodesWithTheirOwnDirectoriesAndOneBootstrapList(@TempDir Path dir) {
        KafkaCluster cluster = new KafkaCluster(dir, List.of(19092, 19102, 19112), List.of(19093, 19103, 19113));

        assertThat(cluster.brokers()).extracting(KafkaBroker::nodeId).containsExactly(1, 2, 3);
        assertThat(cluster.broker(2).directory()).isEqualTo(dir.resolve("broker-2").toAbsolutePath());
        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:19092,127.0.0.1:19102,127.0.0.1:19112");
        assertThat(cluster.replicationFactor()).isEqualTo(3);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void aClusterOfOneIsTheLoneBrokerInTheSameDirectory(@TempDir Path dir) {
        KafkaCluster cluster = new KafkaCluster(dir, List.of(19092), List.of(19093));

        assertThat(cluster.brokers()).singleElement().satisfies(broker -> {
            assertThat(broker.directory()).isEqualTo(dir.toAbsolutePath());
            assertThat(broker.nodeId()).isEqualTo(1);
        });
        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:19092");
    }

    @Test
    void refusesTheDataOfAClusterOfAnotherSizeBeforeStartingAnything(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("broker-1"));

        assertThatThrownBy(() -> new KafkaCluster(dir, List.of(19092), List.of(19093)).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another size");
    }

    @Test
    void everyNodeOfAClusterSharesOneClusterId(@TempDir Path dir) throws IOException {
        new KafkaCluster(dir, List.of(19092, 19102, 19112), List.of(19093, 19103, 19113));
        String id = Files.readString(dir.resolve("cluster.id"));

        new KafkaCluster(dir, List.of(19092, 19102, 19112), List.of(19093, 19103, 19113));

        assertThat(Files.readString(dir.resolve("cluster.id"))).as("kept across restarts").isEqualTo(id);
    }
}
