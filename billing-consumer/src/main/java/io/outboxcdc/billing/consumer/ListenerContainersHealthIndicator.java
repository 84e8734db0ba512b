package io.outboxcdc.billing.consumer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/** DOWN when the order events listener is not running (stopped, or failed to start). */
@Component("kafkaListener")
public class ListenerContainersHealthIndicator extends AbstractHealthIndicator {

    private final KafkaListenerEndpointRegistry registry;

    public ListenerContainersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        MessageListenerContainer container = registry.getListenerContainer(OrderEventsListener.LISTENER_ID);
        boolean running = container != null && container.isRunning();
        (running ? builder.up() : builder.down())
                .withDetail("listener", OrderEventsListener.LISTENER_ID)
                .withDetail("assignedPartitions", container == null || container.getAssignedPartitions() == null
                        ? 0 : container.getAssignedPartitions().size());
    }
}
