package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.OrderCancelled;
import io.outboxcdc.billing.event.OrderCreated;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.PoisonRecordException;
import io.outboxcdc.billing.event.SequencedEvent;
import io.outboxcdc.billing.faultinjection.CrashPoint;
import io.outboxcdc.billing.inbox.ProcessedEvents;
import io.outboxcdc.billing.inbox.RecordPosition;
import io.outboxcdc.billing.invoice.InvoiceLedger;
import io.outboxcdc.billing.ordering.ProcessingResult.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One record, one transaction: inbox, ordering and effect commit together or not at all. If the transaction
 * fails, nothing of it exists and the record is delivered again; if it commits, a redelivery finds the event
 * id in the inbox and changes nothing.
 */
@Service
public class OrderedEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(OrderedEventProcessor.class);

    private final ProcessedEvents inbox;
    private final OrderProgress progress;
    private final ParkedEvents parked;
    private final InvoiceLedger ledger;
    private final EventParser parser;
    private final CrashPoint crashPoint;
    private final Clock clock;

    public OrderedEventProcessor(ProcessedEvents inbox, OrderProgress progress, ParkedEvents parked,
            InvoiceLedger ledger, EventParser parser, CrashPoint crashPoint, Clock clock) {
        this.inbox = inbox;
        this.progress = progress;
        this.parked = parked;
        this.ledger = ledger;
        this.parser = parser;
        this.crashPoint = crashPoint;
        this.clock = clock;
    }

    @Transactional
    public ProcessingResult process(SequencedEvent incoming, RecordPosition position, String consumerGroup) {
        Instant now = clock.instant();
        if (!inbox.takeIn(incoming, position, consumerGroup, now)) {
            return ProcessingResult.of(Outcome.DUPLICATE);
        }
        long appliedSequence = progress.lockAppliedSequence(incoming.orderId());
        ProcessingResult result = switch (SequenceGate.decide(appliedSequence, incoming.aggregateSequence())) {
            case APPLY -> applyWithSuccessors(incoming, now);
            case PARK -> park(incoming, appliedSequence, now);
            case STALE -> stale(incoming, appliedSequence);
        };
        crashPoint.beforeDbCommit();
        return result;
    }

    private ProcessingResult applyWithSuccessors(SequencedEvent incoming, Instant now) {
        List<OrderEvent> applied = new ArrayList<>();
        apply(incoming.event(), now);
        applied.add(incoming.event());
        long sequence = incoming.aggregateSequence();
        for (ParkedEvents.Parked next : SequenceGate.drain(sequence, s -> parked.take(incoming.orderId(), s))) {
            OrderEvent event = reparse(next);
            log.info("Applying parked event {} (sequence {}) of order {}", event.eventId(), next.aggregateSequence(),
                    event.orderId());
            apply(event, now);
            applied.add(event);
            sequence = next.aggregateSequence();
        }
        progress.advanceTo(incoming.orderId(), sequence);
        return new ProcessingResult(Outcome.APPLIED, applied);
    }

    private void apply(OrderEvent event, Instant now) {
        if (event instanceof OrderCreated created) {
            ledger.issue(created, now);
        } else if (event instanceof OrderCancelled cancelled) {
            ledger.voidInvoice(cancelled, now);
        }
    }

    private ProcessingResult park(SequencedEvent incoming, long appliedSequence, Instant now) {
        if (!parked.park(incoming, now)) {
            log.warn("Event {} of order {} claims sequence {}, which another parked event holds: ignored",
                    incoming.eventId(), incoming.orderId(), incoming.aggregateSequence());
            return ProcessingResult.of(Outcome.STALE);
        }
        log.info("Parked {} {} of order {}: sequence {} arrived, {} applied so far", incoming.type().headerValue(),
                incoming.eventId(), incoming.orderId(), incoming.aggregateSequence(), appliedSequence);
        return ProcessingResult.of(Outcome.PARKED);
    }

    private ProcessingResult stale(SequencedEvent incoming, long appliedSequence) {
        log.warn("Event {} of order {} has sequence {}, but {} is applied already: ignored", incoming.eventId(),
                incoming.orderId(), incoming.aggregateSequence(), appliedSequence);
        return ProcessingResult.of(Outcome.STALE);
    }

    private OrderEvent reparse(ParkedEvents.Parked parkedEvent) {
        try {
            return parser.parsePayload(parkedEvent.type(), parkedEvent.payload());
        } catch (PoisonRecordException e) {
            // It was valid when parked. Not poison for the record at hand, so no cause: the error handler
            // must not send the current (valid) record to the dead-letter topic because of it.
            throw new IllegalStateException("parked event of sequence " + parkedEvent.aggregateSequence()
                    + " no longer parses: " + e.getMessage());
        }
    }
}
