package io.outboxcdc.system.load;

import java.net.URI;
import java.time.Duration;

/**
 * What the load driver does: {@code orders} orders through the REST API with {@code concurrency} clients,
 * optionally paced to {@code ratePerSecond} (0 = as fast as the clients go); a {@code retryShare} of them is
 * sent again with the same Idempotency-Key, a {@code cancelShare} is cancelled afterwards. A request that
 * fails (connection refused, 5xx) is retried with its key until {@code giveUpAfter}.
 */
public record LoadPlan(URI orderApp, int orders, int concurrency, double ratePerSecond, double retryShare,
        double cancelShare, Duration giveUpAfter, long seed) {

    public LoadPlan {
        if (orders < 1) {
            throw new IllegalArgumentException("orders must be at least 1");
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1024");
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0 (0 = unpaced)");
        }
        if (retryShare < 0 || retryShare > 1 || cancelShare < 0 || cancelShare > 1) {
            throw new IllegalArgumentException("retry-share and cancel-share must be between 0 and 1");
        }
    }
}
