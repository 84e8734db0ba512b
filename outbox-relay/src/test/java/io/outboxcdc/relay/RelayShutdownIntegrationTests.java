package io.outboxcdc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.relay.support.OutboxRowWriter;
import io.outboxcdc.relay.support.RelayProcess;
import io.outboxcdc.relay.support.TopicRecorder;
import io.outboxcdc.testkit.faults.FaultyProxy;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while the Debezium engine is starting its task, the moment right after a start or a takeover, when
 * Debezium refuses to be closed: the relay must still stop gracefully (engine closed once it may be, lock
 * released, JVM exits) instead of streaming on until the orchestrator's SIGKILL; and nothing may be lost.
 */
@RealInfrastructure
class RelayShutdownIntegrationTests {

    private static final String TOPIC = "orders_relay_shutdown_it";
    private static final String OFFSETS = "outbox-relay.offsets.relay_shutdown_it";

    private static TestInfrastructure infra;
    private static TopicRecorder recorder;
    private final List<RelayProcess> relays = new ArrayList<>();

    @BeforeAll
    static void setUp(TestInfrastructure testInfrastructure) {
        infra = testInfrastructure;
        infra.migrateOrders();
        recorder = new TopicRecorder(infra.kafkaBootstrapServers(), TOPIC);
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        recorder.close();
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(RelayProcess::terminate);
    }

    @Test
    void sigtermWhileTheEngineStartsItsTaskStopsTheRelayGracefullyAndLosesNothing() {
        OutboxRowWriter writer = new OutboxRowWriter(infra.ordersJdbcUrl());
        writer.write("early-sigterm", 50, 1, 4, 50, 0);
        // Only Debezium connects through the gate: its connector validation passes, its task's connections wait,
        // so the engine stays in STARTING_TASKS until the gate opens.
        try (FaultyProxy gate = new FaultyProxy("localhost", infra.postgres().port())) {
            gate.holdConnectionsAfter(1);
            RelayProcess relay = start("relay-early-sigterm", "--relay.debezium.database.port=" + gate.port());
            await().atMost(Duration.ofSeconds(90)).until(() -> gate.heldConnections() > 0
                    && relay.log().contains("Started RelayApplication")
                    && relay.log().contains("from 'CREATING_TASKS' to 'STARTING_TASKS'"));
            assertThat(relay.log()).doesNotContain("to 'POLLING_TASKS'");

            relay.sigterm();
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.log().contains("Stopping the relay"));
            // The task finishes starting only after the stop request, as when a SIGTERM hits a takeover.
            gate.restore();

            boolean exited = relay.awaitExit(Duration.ofSeconds(45));
            assertThat(exited).as(() -> "relay exits after SIGTERM; it hangs in:\n" + relay.threadDump()).isTrue();
            relays.remove(relay);
            assertThat(relay.log()).contains("Relay stopped").contains("Leadership released")
                    .contains("Commencing graceful shutdown");
        }

        // Lock and slot are free again, and every event written before is published: stopped early, nothing lost.
        RelayProcess restarted = start("relay-after-early-sigterm");
        Set<String> expected = Set.copyOf(writer.eventIds());
        await().atMost(Duration.ofSeconds(120)).until(() -> recorder.distinctIds(expected).size() == expected.size());
        assertThat(restarted.isStreaming()).isTrue();
    }

    private RelayProcess start(String name, String... extraArgs) {
        RelayProcess relay = RelayProcess.start(name, infra, TOPIC, OFFSETS, extraArgs);
        relays.add(relay);
        return relay;
    }
}
