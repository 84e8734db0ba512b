package io.outboxcdc.billing.consumer;

import org.apache.kafka.common.TopicPartition;

/** The next record of a partition was deleted before billing read it: nothing after it may be processed. */
public class OffsetsGoneException extends RuntimeException {

    public OffsetsGoneException(TopicPartition partition) {
        super(partition + ": records were deleted before billing read them; see health 'partitions'");
    }
}
