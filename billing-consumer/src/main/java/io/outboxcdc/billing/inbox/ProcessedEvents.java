package io.outboxcdc.billing.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class ProcessedEvents {

    private final JdbcTemplate jdbc;

    public ProcessedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the events into the inbox in one statement and answers the ids that were new; the others were taken
     * in before: duplicates. A concurrent insert of the same id (two instances during a rebalance) waits for the
     * other transaction and then counts as a duplicate too. Rows go in sorted by id, so two such transactions
     * lock in the same order instead of deadlocking.
     */
    public Set<UUID> takeIn(List<InboxEntry> entries, String consumerGroup, Instant now) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        List<InboxEntry> sorted = entries.stream().sorted(Comparator.comparing(InboxEntry::eventId)).toList();
        List<UUID> fresh = jdbc.queryForList("""
                INSERT INTO processed_events (event_id, consumer_group, event_type, order_id, aggregate_sequence,
                                              topic, kafka_partition, kafka_offset, processed_at)
                SELECT e.event_id::uuid, ?, e.event_type, e.order_id::uuid, e.sequence, e.topic, e.kafka_partition,
                       e.kafka_offset, ?
                FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::int[], ?::bigint[])
                     AS e(event_id, event_type, order_id, sequence, topic, kafka_partition, kafka_offset)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
                """, UUID.class, consumerGroup, OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                sorted.stream().map(e -> e.eventId().toString()).toArray(String[]::new),
                sorted.stream().map(InboxEntry::eventType).toArray(String[]::new),
                sorted.stream().map(e -> e.orderId().toString()).toArray(String[]::new),
                sorted.stream().map(InboxEntry::aggregateSequence).toArray(Long[]::new),
                sorted.stream().map(e -> e.position().topic()).toArray(String[]::new),
                sorted.stream().map(e -> e.position().partition()).toArray(Integer[]::new),
                sorted.stream().map(e -> e.position().offset()).toArray(Long[]::new));
        return new HashSet<>(fresh);
    }

    /** Where the event was read from, if it was ever taken in (for the operator's dead-lettering). */
    public java.util.Optional<RecordPosition> positionOf(UUID eventId) {
        return jdbc.query("SELECT topic, kafka_partition, kafka_offset FROM processed_events WHERE event_id = ?",
                (rs, row) -> new RecordPosition(rs.getString(1), rs.getInt(2), rs.getLong(3)), eventId)
                .stream().findFirst();
    }

    /** One row of the inbox. */
    public record InboxEntry(UUID eventId, String eventType, UUID orderId, long aggregateSequence,
            RecordPosition position) {
    }
}
