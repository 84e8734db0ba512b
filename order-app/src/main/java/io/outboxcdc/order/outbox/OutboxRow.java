package io.outboxcdc.order.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of the transactional outbox. Insert-only: outbox-relay reads the inserts from the WAL. */
@Entity
@Table(name = "outbox")
public class OutboxRow {

    @Id
    private UUID id;

    @Column(name = "aggregate_type", nullable = false, length = 64, updatable = false)
    private String aggregateType;

    @Column(name = "aggregate_id", nullable = false, length = 64, updatable = false)
    private String aggregateId;

    @Column(name = "aggregate_sequence", nullable = false, updatable = false)
    private long aggregateSequence;

    @Column(name = "type", nullable = false, length = 64, updatable = false)
    private String type;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", nullable = false, updatable = false)
    private String payload;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "headers", nullable = false, updatable = false)
    private String headers;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected OutboxRow() {
        // for JPA
    }

    OutboxRow(UUID id, String aggregateType, String aggregateId, long aggregateSequence, String type,
            String payload, String headers, Instant createdAt) {
        this.id = id;
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
        this.aggregateSequence = aggregateSequence;
        this.type = type;
        this.payload = payload;
        this.headers = headers;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public String aggregateType() {
        return aggregateType;
    }

    public String aggregateId() {
        return aggregateId;
    }

    public long aggregateSequence() {
        return aggregateSequence;
    }

    public String type() {
        return type;
    }

    public String payload() {
        return payload;
    }

    public String headers() {
        return headers;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
