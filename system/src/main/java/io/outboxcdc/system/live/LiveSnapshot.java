package io.outboxcdc.system.live;

import java.time.Instant;
import java.util.List;

/**
 * What the page shows, as served at {@code /api/snapshot}. A {@code null} number means its source did not answer
 * (the page prints "n/a"); nothing is estimated or carried over from an earlier reading unless its label says so.
 */
record LiveSnapshot(Instant at, Counts counts, Relay relay, List<KafkaProbe.PartitionLag> consumerLag,
        Long consumerLagTotal, Delay commitToInvoice, List<Component> components, Invariant invariant, Load load,
        List<Timeline.Entry> timeline, List<ChartPoint> chart, String lastVerifyReport) {

    /**
     * Sources: orders DB, the topic (followed), billing DB, billing's Prometheus counter, the DLT's offsets, the
     * relay's dead-letter counter (since the relay's start).
     */
    record Counts(Long ordersCommitted, Long ordersCancelled, Long outboxEvents, Long topicRecords,
            Long duplicatesDelivered, boolean topicCaughtUp, Long eventsProcessed, Long invoicesIssued,
            Long invoicesVoided, Long duplicatesSuppressed, Long parked, Long deadLettered, Instant deadLetteredAt,
            Long relayDeadLettered,
            Double ordersPerSecond, Double invoicesPerSecond) {
    }

    /**
     * lagSeconds: how long the oldest outbox event the relay has not sent yet has been waiting (0 = caught up);
     * slot bytes from pg_replication_slots; commit -> Kafka percentiles from the relay's own timer.
     */
    record Relay(Double lagSeconds, Long slotConfirmedLagBytes, Long slotRetainedWalBytes, Boolean slotActive,
            Double commitToKafkaP50Ms, Double commitToKafkaP99Ms) {
    }

    /** Order commit -> invoice issued (verify's definition) over the invoices issued in the last {@code windowSeconds}. */
    record Delay(int windowSeconds, Long invoices, Long p50Ms, Long p99Ms) {
    }

    /** checkedAt: when the status was read (a service that is UP is asked every few seconds, not every second). */
    record Component(String name, String status, String detail, Long pid, Instant checkedAt) {
    }

    /** lost/doubled come from the last full verification (run when the pipeline is caught up, or on demand). */
    record Invariant(Long inFlight, Long lost, Long doubled, Instant checkedAt, Long ordersChecked, boolean checking,
            String line) {
    }

    record Load(boolean running, String progress) {
    }

    /**
     * This snapshot without the parts the page already has ({@code null} = unchanged): the chart when its last
     * point is {@code chartT}, the timeline when its last entry is {@code timelineSeq}, the verify report when it
     * has {@code reportHash}. A page polling every second then gets a few hundred bytes, not the whole history.
     */
    LiveSnapshot withoutUnchanged(Long chartT, Long timelineSeq, Integer reportHash) {
        boolean chartSame = chartT != null && !chart.isEmpty() && chart.get(chart.size() - 1).t() == chartT;
        boolean timelineSame = timelineSeq != null && !timeline.isEmpty()
                && timeline.get(timeline.size() - 1).seq() == timelineSeq;
        boolean reportSame = reportHash != null && lastVerifyReport != null
                && lastVerifyReport.hashCode() == reportHash;
        return new LiveSnapshot(at, counts, relay, consumerLag, consumerLagTotal, commitToInvoice, components,
                invariant, load, timelineSame ? null : timeline, chartSame ? null : chart,
                reportSame ? null : lastVerifyReport);
    }

    /** One point of the chart: t in epoch milliseconds, delays in milliseconds. */
    record ChartPoint(long t, Double kafkaP50, Double kafkaP99, Long invoiceP50, Long invoiceP99) {
    }
}
