package io.outboxcdc.relay.engine;

import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one engine run published and where it stopped: the facts behind the exception that ends a run, so that
 * the log says truthfully what was and was not published. Thread-safe (acks and failures arrive on the
 * producer's I/O thread).
 */
final class PublishOutcomes {

    private static final int REPORTED_IDS = 10;

    /** One failed send: where in the stream, which event, why; unpublishable = Kafka refuses it as it is. */
    record Failure(long position, String eventId, ProducerRecord<String, String> record, Throwable cause,
            boolean unpublishable) {
    }

    private final AtomicReference<Failure> first = new AtomicReference<>();
    private final AtomicReference<Failure> refusal = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final List<String> acknowledgedAfterRefusal = new ArrayList<>();
    private volatile String lastAcknowledgedId;

    void acknowledged(long position, String eventId) {
        acknowledged.incrementAndGet();
        Failure refused = refusal.get();
        if (refused != null && position > refused.position()) {
            synchronized (acknowledgedAfterRefusal) {
                acknowledgedAfterRefusal.add(eventId);
            }
        } else if (first.get() == null) {
            lastAcknowledgedId = eventId;
        }
    }

    /** Records a failure; true when it is the run's first. The earliest refused event (by position) is kept. */
    boolean failed(Failure failure) {
        if (failure.unpublishable()) {
            refusal.accumulateAndGet(failure, (current, next) ->
                    current == null || next.position() < current.position() ? next : current);
        }
        return first.compareAndSet(null, failure);
    }

    boolean hasFailure() {
        return first.get() != null;
    }

    /** The exception that ends the run: the refused event if there is one, else the first failed send. */
    RuntimeException toException() {
        Failure refused = refusal.get();
        if (refused != null) {
            return unpublishable(refused);
        }
        Failure failure = first.get();
        String topic = failure.record() == null ? "?" : failure.record().topic();
        return new OutboxBatchHandler.PublishFailedException("Kafka did not acknowledge outbox event "
                + failure.eventId() + " (topic " + topic + "): " + failure.cause() + "; nothing from this event on "
                + "is committed, the next run publishes it again", failure.cause());
    }

    private UnpublishableRecordException unpublishable(Failure refused) {
        ProducerRecord<String, String> record = refused.record();
        if (record == null && refused.cause() instanceof UnpublishableRecordException e) {
            return new UnpublishableRecordException(e.eventId(), null, null, e.getMessage(), report(refused,
                    e.getMessage()), e);
        }
        String reason = String.valueOf(refused.cause());
        return new UnpublishableRecordException(refused.eventId(), record == null ? null : record.topic(),
                record == null ? null : record.key(), reason, report(refused, reason), refused.cause());
    }

    private String report(Failure refused, String reason) {
        ProducerRecord<String, String> record = refused.record();
        StringBuilder text = new StringBuilder("outbox event ").append(refused.eventId());
        if (record != null) {
            text.append(" (topic ").append(record.topic()).append(", key ").append(record.key()).append(')');
        }
        String because = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
        text.append(" cannot be published: ").append(because).append(". Published in this run: ")
                .append(acknowledged.get()).append(" events acknowledged by Kafka");
        String last = lastAcknowledgedId;
        if (last != null) {
            text.append(", the last acknowledged ").append(last);
        }
        text.append(". NOT published: this event and every event after it in the WAL");
        synchronized (acknowledgedAfterRefusal) {
            if (acknowledgedAfterRefusal.isEmpty()) {
                text.append(" (none of them was sent)");
            } else {
                text.append(", except ").append(acknowledgedAfterRefusal.size())
                        .append(" later events already in flight that Kafka did acknowledge: ")
                        .append(acknowledgedAfterRefusal.subList(0, Math.min(REPORTED_IDS,
                                acknowledgedAfterRefusal.size())));
            }
        }
        return text.toString();
    }
}
