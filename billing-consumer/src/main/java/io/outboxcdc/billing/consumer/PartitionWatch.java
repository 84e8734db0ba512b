package io.outboxcdc.billing.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Per assigned partition: where it stands, when it last advanced, what it waits on and why it failed last.
 * Written by the consumer threads, read by health and metrics. Gauges per partition:
 * {@code billing.partition.lag} (records after the last processed one, as the consumer last saw it) and
 * {@code billing.partition.oldest.waiting.age} (seconds since the record the partition waits on was published:
 * the first record of a batch in progress or failing; 0 when none waits).
 */
@Component
public class PartitionWatch {

    private final Map<TopicPartition, State> states = new ConcurrentHashMap<>();
    private final java.util.Set<TopicPartition> gauged = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final Clock clock;

    public PartitionWatch(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Assigned to this instance; its next record is expected at {@code position}. */
    public void assigned(TopicPartition partition, long position) {
        State state = new State(clock.instant());
        state.position = position;
        states.put(partition, state);
        if (!gauged.add(partition)) {
            return;
        }
        String p = Integer.toString(partition.partition());
        Gauge.builder("billing.partition.lag", this, w -> w.lag(partition))
                .description("Records of the partition after the last one processed (consumer's view)")
                .tags("topic", partition.topic(), "partition", p).register(registry);
        Gauge.builder("billing.partition.oldest.waiting.age", this, w -> w.oldestWaitingSeconds(partition))
                .description("Seconds since the record the partition waits on was published; 0 when none waits")
                .baseUnit("seconds").tags("topic", partition.topic(), "partition", p).register(registry);
    }

    /** The offset of the next record to process, -1 if unknown. */
    public long position(TopicPartition partition) {
        State state = states.get(partition);
        return state == null ? -1 : state.position;
    }

    public void revoked(TopicPartition partition) {
        states.remove(partition);
    }

    /** A batch of the partition is about to be processed; its first record waits until it commits. */
    public void batchStarted(TopicPartition partition, long firstOffset, long firstTimestamp) {
        State state = states.computeIfAbsent(partition, p -> new State(clock.instant()));
        state.inFlightSince = clock.instant();
        state.waitingOffset = firstOffset;
        state.waitingSince = Instant.ofEpochMilli(firstTimestamp);
    }

    /** Records up to {@code nextOffset} (exclusive) are done. */
    public void advanced(TopicPartition partition, long nextOffset, long lag) {
        State state = states.computeIfAbsent(partition, p -> new State(clock.instant()));
        state.lastAdvance = clock.instant();
        state.position = nextOffset;
        state.inFlightSince = null;
        state.waitingSince = null;
        state.failure = null;
        state.lag = lag;
    }

    /** The record at {@code nextOffset - 1} went to the dead-letter topic: the partition moved past it. */
    public void recovered(TopicPartition partition, long nextOffset) {
        advanced(partition, nextOffset, -1);
    }

    public void failed(TopicPartition partition, long offset, long recordTimestamp, String reason) {
        State state = states.computeIfAbsent(partition, p -> new State(clock.instant()));
        state.inFlightSince = null;
        state.waitingOffset = offset;
        state.waitingSince = Instant.ofEpochMilli(recordTimestamp);
        state.failure = reason;
    }

    /** Partitions that did not advance for {@code stuckAfter} while a record waits, oldest first. */
    public List<Stuck> stuck(Duration stuckAfter) {
        Instant now = clock.instant();
        List<Stuck> stuck = new ArrayList<>();
        states.forEach((partition, s) -> {
            boolean waiting = s.failure != null || s.inFlightSince != null || s.lag > 0;
            Duration idle = Duration.between(s.lastAdvance, now);
            if (waiting && idle.compareTo(stuckAfter) > 0) {
                String reason = s.failure != null ? "last failure: " + s.failure
                        : s.inFlightSince != null ? "a batch has been in progress since " + s.inFlightSince
                        : s.lag + " records wait but none was delivered";
                long offset = s.failure != null || s.inFlightSince != null ? s.waitingOffset : s.position;
                stuck.add(new Stuck(partition.toString(), offset, idle.toSeconds(), reason));
            }
        });
        stuck.sort(Comparator.comparing(Stuck::partition));
        return stuck;
    }

    private double lag(TopicPartition partition) {
        State state = states.get(partition);
        return state == null ? 0 : Math.max(state.lag, 0);
    }

    private double oldestWaitingSeconds(TopicPartition partition) {
        State state = states.get(partition);
        Instant since = state == null ? null : state.waitingSince;
        return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    /** A partition that has not advanced: where it stands, for how long, and why as far as known. */
    public record Stuck(String partition, long offset, long seconds, String reason) {
    }

    private static final class State {
        volatile Instant lastAdvance;
        volatile long position = -1;
        volatile long lag = -1;
        volatile Instant inFlightSince;
        volatile long waitingOffset = -1;
        volatile Instant waitingSince;
        volatile String failure;

        State(Instant assignedAt) {
            this.lastAdvance = assignedAt;
        }
    }
}
