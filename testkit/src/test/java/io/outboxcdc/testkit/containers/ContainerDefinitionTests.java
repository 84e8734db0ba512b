package io.outboxcdc.testkit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.runtime.kafka.KafkaSettings;
import io.outboxcdc.runtime.postgres.PostgresSettings;
import org.junit.jupiter.api.Test;

// Issue 9: the containers are configured like the embedded servers. Checked on the definitions: no Docker here.
class ContainerDefinitionTests {

    @Test
    void postgresRunsWithLogicalDecodingAndDurableCommits() {
        DockerPostgres postgres = new DockerPostgres(DockerPostgres.DEFAULT_IMAGE, 25432);

        assertThat(postgres.container().getCommandParts()).containsSequence("-c", "wal_level=logical")
                .containsSequence("-c", "fsync=on").containsSequence("-c", "synchronous_commit=on")
                .doesNotContain("fsync=off");
        PostgresSettings.SERVER.forEach((key, value) ->
                assertThat(postgres.container().getCommandParts()).contains(key + "=" + value));
        assertThat(postgres.container().getEnvMap()).containsEntry("POSTGRES_HOST_AUTH_METHOD", "trust");
        assertThat(postgres.container().getPortBindings()).anyMatch(binding -> binding.startsWith("25432:5432"));
        assertThat(postgres.port()).isEqualTo(25432);
        assertThat(postgres.isRunning()).isFalse();
        assertThat(postgres.pid()).isEqualTo(-1);
    }

    @Test
    void kafkaAdvertisesTheFixedHostPortAndRunsTheBrokerAsTheMainProcess() {
        DockerKafka kafka = new DockerKafka(DockerKafka.DEFAULT_IMAGE, "localhost", 29092);

        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:29092");
        assertThat(kafka.container().getEnvMap().get("KAFKA_ADVERTISED_LISTENERS"))
                .startsWith("PLAINTEXT://localhost:29092,");
        assertThat(kafka.container().getEnvMap()).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        KafkaSettings.SINGLE_NODE.forEach((key, value) ->
                assertThat(kafka.container().getEnvMap()).containsEntry(KafkaSettings.environmentVariable(key), value));
        assertThat(kafka.container().getCommandParts()).containsExactly("/etc/kafka/docker/run");
        assertThat(kafka.container().getPortBindings()).anyMatch(binding -> binding.startsWith("29092:9092"));
        assertThat(kafka.isRunning()).isFalse();
    }

    @Test
    void kafkaSettingsBecomeTheImagesEnvironmentVariables() {
        assertThat(KafkaSettings.environmentVariable("broker.session.timeout.ms"))
                .isEqualTo("KAFKA_BROKER_SESSION_TIMEOUT_MS");
    }
}
