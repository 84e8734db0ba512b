/**
 * The second infrastructure provider, selected with {@code -Dinfra=containers}: the same PostgreSQL (logical
 * decoding, durable commits) and single-node KRaft Kafka as the Docker-free default, run as Testcontainers
 * containers. Stop, kill and start act on the container itself (docker stop / kill / start), which keeps its data
 * and its host port, so failure-injection tests behave as with the embedded processes.
 */
package io.outboxcdc.testkit.containers;
