package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class LeftoverEngineMetricsTests {

    public interface ProbeMBean {
        long getValue();
    }

    private static void register(MBeanServer server, String name) throws Exception {
        ProbeMBean probe = () -> 1L;
        server.registerMBean(new StandardMBean(probe, ProbeMBean.class), new ObjectName(name));
    }

    @Test
    void removesOnlyTheConnectorsOwnMetrics() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        register(server, "debezium.postgres:type=connector-metrics,context=snapshot,server=outbox-relay");
        register(server, "debezium.postgres:type=connector-metrics,context=streaming,server=outbox-relay");
        register(server, "debezium.postgres:type=connector-metrics,context=streaming,server=another-relay");
        register(server, "kafka.producer:type=producer-metrics,client-id=outbox-relay");

        assertThat(LeftoverEngineMetrics.remove(server, "outbox-relay")).isEqualTo(2);

        assertThat(server.queryNames(new ObjectName("debezium.postgres:server=outbox-relay,*"), null)).isEmpty();
        assertThat(server.isRegistered(new ObjectName(
                "debezium.postgres:type=connector-metrics,context=streaming,server=another-relay"))).isTrue();
        assertThat(server.isRegistered(new ObjectName("kafka.producer:type=producer-metrics,client-id=outbox-relay")))
                .isTrue();
    }

    @Test
    void nothingLeftMeansNothingRemoved() {
        assertThat(LeftoverEngineMetrics.remove(MBeanServerFactory.newMBeanServer(), "outbox-relay")).isZero();
    }
}
