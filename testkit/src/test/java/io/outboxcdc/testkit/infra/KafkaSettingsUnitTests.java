package io.outboxcdc.testkit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Issue 17: one set of broker settings per cluster size; one broker stays exactly as before.
class KafkaSettingsUnitTests {

    @Test
    void aSingleBrokerKeepsOneCopyOfEverything() {
        assertThat(KafkaSettings.SINGLE_NODE).containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1");
        assertThat(KafkaSettings.forCluster(1)).isEqualTo(KafkaSettings.SINGLE_NODE);
    }

    @Test
    void threeBrokersKeepThreeCopiesAndAcknowledgeAtTwo() {
        assertThat(KafkaSettings.forCluster(3)).containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                .containsEntry("share.coordinator.state.topic.min.isr", "2")
                .containsEntry("num.partitions", "3");
    }

    @Test
    void replicationIsCappedAtThreeAndToleratesOneLostBroker() {
        assertThat(KafkaSettings.replicationFactor(2)).isEqualTo(2);
        assertThat(KafkaSettings.minInsyncReplicas(2)).isEqualTo(1);
        assertThat(KafkaSettings.replicationFactor(5)).isEqualTo(3);
        assertThat(KafkaSettings.minInsyncReplicas(5)).isEqualTo(2);
        assertThatThrownBy(() -> KafkaSettings.forCluster(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyNodeVotesInTheControllerQuorum() {
        assertThat(KafkaSettings.quorumVoters(List.of(19093))).isEqualTo("1@127.0.0.1:19093");
        assertThat(KafkaSettings.quorumVoters(List.of(19093, 19103, 19113)))
                .isEqualTo("1@127.0.0.1:19093,2@127.0.0.1:19103,3@127.0.0.1:19113");
    }

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
}
