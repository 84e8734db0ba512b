package io.outboxcdc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which sections run: the Kafka Connect comparison (issue 17) stays out of the CI smoke. */
class BenchmarkSuiteTests {

    private static final Path OUT = Path.of("target", "unused");

    @Test
    void theQuickSmokeLeavesTheRelayOnConnectOut() {
        assertThat(new BenchmarkSuite(Sizes.smoke(), OUT, OUT).sections())
                .contains("relay-designs").doesNotContain("relay-connect");
        assertThat(new BenchmarkSuite(Sizes.smoke(), OUT, OUT, java.util.Set.of("relay-connect"), null, null, 25)
                .sections()).isEmpty();
    }

    @Test
    void theFullSuiteRunsTheRelayOnConnect() {
        assertThat(new BenchmarkSuite(Sizes.full(), OUT, OUT).sections())
                .containsExactlyInAnyOrderElementsOf(BenchmarkSuite.SECTIONS).contains("relay-connect");
    }
}
