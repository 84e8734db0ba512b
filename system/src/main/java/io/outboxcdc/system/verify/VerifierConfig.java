package io.outboxcdc.system.verify;

import java.net.URI;
import java.util.Optional;

/**
 * Where the verifier reads: both databases (a role that may read them), the topics, and optionally the
 * billing consumer's Prometheus endpoint for the duplicates it suppressed.
 */
public record VerifierConfig(String ordersJdbcUrl, String billingJdbcUrl, String dbUser, String dbPassword,
        String kafkaBootstrapServers, String topic, String deadLetterTopic, Optional<URI> billingPrometheus) {
}
