package io.outboxcdc.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

// Issue 17: one set of broker settings per cluster size; one broker stays exactly as before.
class KafkaSettingsTests {

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
}
