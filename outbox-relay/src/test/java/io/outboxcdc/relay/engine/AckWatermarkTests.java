package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 12 point 1: offsets advance only up to the last contiguous acknowledged record, whatever the ack order. */
class AckWatermarkTests {

    private final AckWatermark<String> watermark = new AckWatermark<>();

    @Test
    void onlyTheLeadingAcknowledgedRecordsAreCommittable() {
        AckWatermark.Entry<String> a = watermark.addPending("a");
        AckWatermark.Entry<String> b = watermark.addPending("b");
        watermark.addDone("heartbeat");
        AckWatermark.Entry<String> c = watermark.addPending("c");

        watermark.acknowledge(b);
        watermark.acknowledge(c);
        assertThat(watermark.takeAcknowledgedPrefix()).as("a is not acknowledged yet").isEmpty();

        watermark.acknowledge(a);
        assertThat(watermark.takeAcknowledgedPrefix()).containsExactly("a", "b", "heartbeat", "c");
        assertThat(watermark.size()).isZero();
    }

    @Test
    void aFailedRecordStopsTheWatermarkForGood() {
        AckWatermark.Entry<String> a = watermark.addPending("a");
        AckWatermark.Entry<String> b = watermark.addPending("b");
        AckWatermark.Entry<String> c = watermark.addPending("c");
        watermark.acknowledge(a);
        watermark.fail(b);
        watermark.acknowledge(c);

        assertThat(watermark.takeAcknowledgedPrefix()).containsExactly("a");
        assertThat(watermark.takeAcknowledgedPrefix()).isEmpty();
        assertThat(watermark.pendingCount()).isZero();
    }

    @Test
    void waitingForOutcomesEndsWhenNothingIsPendingOrAtTheTimeout() throws InterruptedException {
        AckWatermark.Entry<String> a = watermark.addPending("a");
        assertThat(watermark.awaitNonePending(Duration.ofMillis(20))).isFalse();
        Thread acker = new Thread(() -> watermark.acknowledge(a));
        acker.start();
        assertThat(watermark.awaitNonePending(Duration.ofSeconds(10))).isTrue();
        acker.join();
        assertThat(watermark.pendingCount()).isZero();
    }

    @Test
    void positionsFollowTheStream() {
        assertThat(watermark.addPending("a").position()).isZero();
        watermark.addDone("b");
        assertThat(watermark.addPending("c").position()).isEqualTo(2);
    }
}
