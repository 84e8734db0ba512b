package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.EventType;
import io.outboxcdc.billing.event.SequencedEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code parked_events}: events that arrived before a predecessor, with their payload as received. */
@Repository
public class ParkedEvents {

    private final JdbcTemplate jdbc;

    public ParkedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code false}: another event id holds this order's sequence already (a producer bug), nothing parked. */
    public boolean park(SequencedEvent event, Instant now) {
        return jdbc.update("""
                INSERT INTO parked_events (event_id, order_id, aggregate_sequence, event_type, payload, parked_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT DO NOTHING
                """, event.eventId(), event.orderId(), event.aggregateSequence(), event.type().headerValue(),
                event.payload(), OffsetDateTime.ofInstant(now, ZoneOffset.UTC)) == 1;
    }

    /** Removes and returns the event parked for this order and sequence, if any. */
    public Optional<Parked> take(UUID orderId, long sequence) {
        return jdbc.query("""
                DELETE FROM parked_events WHERE order_id = ? AND aggregate_sequence = ?
                RETURNING event_type, payload::text
                """, (rs, row) -> new Parked(EventType.fromHeader(rs.getString(1)), rs.getString(2), sequence),
                orderId, sequence).stream().findFirst();
    }

    public long count() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM parked_events", Long.class);
        return count == null ? 0 : count;
    }

    public record Parked(EventType type, String payload, long aggregateSequence) {
    }
}
