package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.EventType;
import io.outboxcdc.billing.event.PoisonRecordException;
import io.outboxcdc.billing.event.SequencedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code parked_events}: events that arrived before a predecessor, with their payload as received. */
@Repository
public class ParkedEvents {

    private static final Logger log = LoggerFactory.getLogger(ParkedEvents.class);
    private static final String COLUMNS = "event_id, order_id, aggregate_sequence, event_type, payload::text, parked_at";

    private final JdbcTemplate jdbc;
    private final EventParser parser;

    public ParkedEvents(JdbcTemplate jdbc, EventParser parser) {
        this.jdbc = jdbc;
        this.parser = parser;
    }

    /** Parks the events in one statement. */
    public void park(List<SequencedEvent> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.update("""
                INSERT INTO parked_events (event_id, order_id, aggregate_sequence, event_type, payload, parked_at)
                SELECT p.event_id::uuid, p.order_id::uuid, p.sequence, p.event_type, p.payload::jsonb, ?
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                     AS p(event_id, order_id, sequence, event_type, payload)
                ON CONFLICT DO NOTHING
                """, OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                events.stream().map(e -> e.eventId().toString()).toArray(String[]::new),
                events.stream().map(e -> e.orderId().toString()).toArray(String[]::new),
                events.stream().map(SequencedEvent::aggregateSequence).toArray(Long[]::new),
                events.stream().map(e -> e.type().headerValue()).toArray(String[]::new),
                events.stream().map(SequencedEvent::payload).toArray(String[]::new));
    }

    /**
     * The events parked for these orders, by order. A row that no longer parses (the rules got stricter since it
     * was parked) is left where it is, logged and reported like any event parked too long: the operator
     * dead-letters it. It must not fail the batch, whose records are not to blame.
     */
    public Map<UUID, List<ParkedEvent>> parkedFor(Collection<UUID> orderIds) {
        Map<UUID, List<ParkedEvent>> byOrder = new HashMap<>();
        if (orderIds.isEmpty()) {
            return byOrder;
        }
        jdbc.query("SELECT " + COLUMNS + " FROM parked_events WHERE order_id = ANY (?::text[]::uuid[])", rs -> {
            parse(rs).ifPresent(p -> byOrder.computeIfAbsent(p.event().orderId(), o -> new ArrayList<>()).add(p));
        }, (Object) orderIds.stream().map(UUID::toString).toArray(String[]::new));
        return byOrder;
    }

    public void remove(Collection<UUID> eventIds) {
        if (!eventIds.isEmpty()) {
            jdbc.update("DELETE FROM parked_events WHERE event_id = ANY (?::text[]::uuid[])",
                    (Object) eventIds.stream().map(UUID::toString).toArray(String[]::new));
        }
    }

    /** The oldest parked events first, for the operator. */
    public List<Row> list(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM parked_events ORDER BY parked_at, event_id LIMIT ?",
                (rs, n) -> row(rs), limit);
    }

    public Optional<Row> find(UUID eventId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM parked_events WHERE event_id = ?", (rs, n) -> row(rs), eventId)
                .stream().findFirst();
    }

    /** One parked event, locked until the transaction ends. */
    public Optional<Row> lock(UUID eventId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM parked_events WHERE event_id = ? FOR UPDATE",
                (rs, n) -> row(rs), eventId).stream().findFirst();
    }

    public long count() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM parked_events", Long.class);
        return count == null ? 0 : count;
    }

    public Optional<Instant> oldestParkedAt() {
        Timestamp oldest = jdbc.queryForObject("SELECT min(parked_at) FROM parked_events", Timestamp.class);
        return Optional.ofNullable(oldest).map(Timestamp::toInstant);
    }

    public long countParkedBefore(Instant instant) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM parked_events WHERE parked_at < ?", Long.class,
                OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        return count == null ? 0 : count;
    }

    /** Count, count parked before {@code tooLongBefore}, and the oldest parked time, in one query. */
    public Stats stats(Instant tooLongBefore) {
        return jdbc.queryForObject("""
                SELECT count(*), count(*) FILTER (WHERE parked_at < ?), min(parked_at) FROM parked_events
                """, (rs, n) -> new Stats(rs.getLong(1), rs.getLong(2),
                Optional.ofNullable(rs.getTimestamp(3)).map(Timestamp::toInstant)),
                OffsetDateTime.ofInstant(tooLongBefore, ZoneOffset.UTC));
    }

    public record Stats(long count, long parkedTooLong, Optional<Instant> oldestParkedAt) {
    }

    private Optional<ParkedEvent> parse(ResultSet rs) throws SQLException {
        Row row = row(rs);
        try {
            return Optional.of(row.parsed(parser));
        } catch (PoisonRecordException e) {
            log.error("Parked event {} of order {} no longer parses and stays parked until an operator"
                    + " dead-letters it: {}", row.eventId(), row.orderId(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toInstant());
    }

    /** A row as stored. */
    public record Row(UUID eventId, UUID orderId, long aggregateSequence, String eventType, String payload,
            Instant parkedAt) {

        public ParkedEvent parsed(EventParser parser) {
            return new ParkedEvent(parser.parsePayload(EventType.fromHeader(eventType), payload), aggregateSequence,
                    parkedAt);
        }
    }
}
