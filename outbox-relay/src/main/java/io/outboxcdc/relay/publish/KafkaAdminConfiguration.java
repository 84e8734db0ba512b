package io.outboxcdc.relay.publish;

import io.outboxcdc.relay.RelayProperties;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One admin client: creates the event topics and tells the health check whether Kafka answers. */
@Configuration(proxyBeanMethods = false)
class KafkaAdminConfiguration {

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(RelayProperties properties) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafka().bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-relay-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        return Admin.create(p);
    }
}
