package io.outboxcdc.billing.inbox;

import io.outboxcdc.billing.event.SequencedEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class ProcessedEvents {

    private final JdbcTemplate jdbc;

    public ProcessedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the event into the inbox. {@code false} means it was taken in before: a duplicate. A concurrent
     * insert of the same id (two instances during a rebalance) waits for the other transaction and then also
     * answers {@code false}.
     */
    public boolean takeIn(SequencedEvent event, RecordPosition position, String consumerGroup, Instant now) {
        return jdbc.update("""
                INSERT INTO processed_events (event_id, consumer_group, event_type, order_id, aggregate_sequence,
                                              topic, kafka_partition, kafka_offset, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING
                """, event.eventId(), consumerGroup, event.type().headerValue(), event.orderId(),
                event.aggregateSequence(), position.topic(), position.partition(), position.offset(),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)) == 1;
    }
}
