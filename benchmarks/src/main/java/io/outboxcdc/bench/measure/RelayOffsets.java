package io.outboxcdc.bench.measure;

import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.contracts.KafkaNames;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offset of the relay's Debezium offsets topic: one record per offset flush. With
 * {@code relay.offsets.flush-interval=0} that is one per batch, so events ÷ commits = mean batch size.
 */
public final class RelayOffsets {

    public static final String TOPIC = KafkaNames.RELAY_OFFSETS_TOPIC;

    private RelayOffsets() {
    }

    public static long commits(BenchStack stack) {
        try (Admin admin = stack.admin()) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        } catch (Exception e) {
            return -1;
        }
    }
}
