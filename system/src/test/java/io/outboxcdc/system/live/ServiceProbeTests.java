package io.outboxcdc.system.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProbeTests {

    @Test
    void aCounterIsAskedForByItsFamilyNameToo() {
        // Spring Boot's includedNames filter matches a counter by its family name (no _total): without it the
        // filtered scrape would leave the counter out and the page would show n/a.
        assertThat(ServiceProbe.includedNames("relay_event_delay_seconds", "relay_events_dead_lettered_total"))
                .isEqualTo("relay_event_delay_seconds,relay_events_dead_lettered_total,relay_events_dead_lettered");
    }
}
