package io.outboxcdc.billing.consumer;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Refuses to skip records silently. {@code auto.offset.reset=earliest} is only what a new group needs (no
 * committed offset: start at the log start); Kafka would apply it as well to a committed offset older than the
 * log start and skip the deleted records without a word. ({@code none} cannot be used: Spring Kafka asks every
 * assigned partition for its position before any rebalance listener runs, which fails a new group.) So:
 * <ul>
 *   <li>on assignment, a committed offset older than the log start (records deleted by retention, or by an
 *   operator, before billing read them) pauses the partition before anything is fetched, and reports the gap
 *   (health DOWN naming partition and offsets) until an operator accepts the loss by resetting the group's
 *   offset (README, "Offsets gone");</li>
 *   <li>while running, a batch that starts after the expected offset while the log start moved past it (the
 *   consumer reset its position) is not processed: {@link #jumped} pauses the partition the same way, and the
 *   committed offset stays where it was.</li>
 * </ul>
 */
@Component
public class OffsetGuard implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(OffsetGuard.class);

    private final Map<TopicPartition, Gap> gaps = new ConcurrentHashMap<>();
    private final PartitionWatch watch;

    public OffsetGuard(PartitionWatch watch) {
        this.watch = watch;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            long start = logStart.getOrDefault(partition, 0L);
            watch.assigned(partition, offset == null ? start : offset.offset());
            if (offset == null) {
                log.info("{}: no committed offset for the group, starting at the log start {}", partition, start);
                gaps.remove(partition);
            } else if (offset.offset() < start) {
                refuse(consumer, partition, offset.offset(), start);
            } else {
                gaps.remove(partition);
            }
        }
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    /**
     * Whether a batch starting at {@code firstOffset} skipped records that no longer exist (then the partition
     * is paused and reported): offsets may skip legitimately (transaction markers), so the log start decides.
     */
    boolean jumped(Consumer<?, ?> consumer, TopicPartition partition, long expected, long firstOffset) {
        if (expected < 0 || firstOffset <= expected) {
            return false;
        }
        long start = consumer.beginningOffsets(List.of(partition)).getOrDefault(partition, 0L);
        if (start <= expected) {
            return false;
        }
        refuse(consumer, partition, expected, start);
        return true;
    }

    public Map<TopicPartition, Gap> gaps() {
        return Map.copyOf(gaps);
    }

    private void refuse(Consumer<?, ?> consumer, TopicPartition partition, long committed, long logStart) {
        consumer.pause(List.of(partition));
        Gap gap = new Gap(partition.toString(), committed, logStart, "records " + committed + ".." + (logStart - 1)
                + " were deleted before billing read them; billing does not skip them on its own. To accept the"
                + " loss, stop billing and reset the group's offset for this partition (README, 'Offsets gone').");
        if (gaps.put(partition, gap) == null) {
            log.error("{}: committed offset {} is older than the log start {}: partition paused. {}", partition,
                    committed, logStart, gap.reason());
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            gaps.remove(p);
            watch.revoked(p);
        });
    }

    /** A partition whose next record to read no longer exists. */
    public record Gap(String partition, long committedOffset, long logStartOffset, String reason) {
    }
}
