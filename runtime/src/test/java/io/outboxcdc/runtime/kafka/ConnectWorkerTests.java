package io.outboxcdc.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Issue 17: the Connect worker's settings that exactly-once and a fast takeover depend on.
class ConnectWorkerTests {

    private static final ConnectWorker.Group GROUP = new ConnectWorker.Group("g", "127.0.0.1:9092", (short) 3, true);

    @Test
    void exactlyOnceSourceAndAFastTakeoverOfADeadWorkersTask() {
        Map<String, String> w = new ConnectWorker("w1", Path.of("w1"), 18083, GROUP, Path.of("w1.log")).workerSettings();
        assertThat(w).containsEntry("exactly.once.source.support", "enabled")
                .containsEntry("scheduled.rebalance.max.delay.ms", "0")
                .containsEntry("group.id", "g")
                .containsEntry("config.storage.topic", "g.configs")
                .containsEntry("offset.storage.topic", "g.offsets")
                .containsEntry("status.storage.topic", "g.status")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("listeners", "http://127.0.0.1:18083")
                .containsEntry("rest.advertised.port", "18083");
        assertThat(Integer.parseInt(w.get("heartbeat.interval.ms")))
                .isLessThan(Integer.parseInt(w.get("session.timeout.ms")));
    }

    @Test
    void atLeastOnceWhenAsked() {
        ConnectWorker.Group plain = new ConnectWorker.Group("g", "k:1", (short) 1, false);
        assertThat(new ConnectWorker("w", Path.of("w"), 1, plain, Path.of("w.log")).workerSettings())
                .containsEntry("exactly.once.source.support", "disabled");
    }

    @Test
    void theWorkerClasspathHasTheRuntimeAndDebezium() {
        assertThat(ConnectWorker.classpath()).contains("connect-runtime-").contains("debezium-connector-postgres-")
                .contains("debezium-connect-plugins-").contains("log4j-slf4j2-impl-");
    }
}
