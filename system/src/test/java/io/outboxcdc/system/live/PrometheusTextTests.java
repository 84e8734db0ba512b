package io.outboxcdc.system.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

// Issue 18: the live page reads the services' own metrics; a missing or NaN series is "n/a", never 0.
class PrometheusTextTests {

    private static final String BODY = """
            # HELP billing_duplicates_suppressed_total Duplicates
            # TYPE billing_duplicates_suppressed_total counter
            billing_duplicates_suppressed_total{application="billing",reason="inbox"} 3.0
            billing_duplicates_suppressed_total{application="billing",reason="stale"} 4.0
            relay_event_delay_seconds{application="outbox-relay",quantile="0.5"} 0.021
            relay_event_delay_seconds{application="outbox-relay",quantile="0.99"} 0.133
            relay_event_delay_seconds_count{application="outbox-relay"} 10.0
            relay_last_event_age_seconds NaN
            """;

    @Test
    void sumsEverySeriesOfAMetricAndOnlyThatMetric() {
        PrometheusText text = PrometheusText.parse(BODY);
        assertThat(text.sum("billing_duplicates_suppressed_total")).hasValue(7.0);
        assertThat(text.sum("relay_event_delay_seconds_count")).hasValue(10.0);
    }

    @Test
    void picksAQuantileByItsLabel() {
        PrometheusText text = PrometheusText.parse(BODY);
        assertThat(text.withLabel("relay_event_delay_seconds", "quantile=\"0.99\"")).hasValue(0.133);
        assertThat(text.withLabel("relay_event_delay_seconds", "quantile=\"0.5\"")).hasValue(0.021);
    }

    @Test
    void missingOrNaNIsNoValue() {
        PrometheusText text = PrometheusText.parse(BODY);
        assertThat(text.sum("relay_last_event_age_seconds")).isEmpty();
        assertThat(text.sum("no_such_metric")).isEmpty();
        assertThat(text.withLabel("relay_event_delay_seconds", "quantile=\"0.999\"")).isEmpty();
    }
}
