package io.outboxcdc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CI smoke of the benchmark suite: every section in --quick mode (tiny sizes) against the real system.
 * It checks that every report file is written and holds numbers; it never asserts a speed.
 */
class BenchmarkSuiteIntegrationTests {

    @Test
    void quickSuiteWritesTheReportTheCsvFilesAndTheChart() throws Exception {
        Path out = Path.of("target", "bench-smoke").toAbsolutePath();
        Path data = Path.of("target", "bench-smoke-data").toAbsolutePath();

        Path report = new BenchmarkSuite(Sizes.smoke(), out, data).run();

        String markdown = Files.readString(report);
        assertThat(markdown).contains("## Headline", "## Start-up", "## The README's load command",
                "## End-to-end delay at fixed rates", "## Where the CPU goes", "## REST throughput vs the plain-JDBC baseline",
                "## Relay drain and billing drain", "## Relay designs", "## Peak memory", "## Warm-up record",
                "Machine load per section");
        assertThat(markdown).containsPattern("REST ÷ JDBC at 8 clients \\| \\d+\\.\\d+");
        assertThat(markdown).containsPattern("stack start-up, launch → all healthy \\(s\\) \\| \\d+");
        assertThat(markdown).containsPattern("\\| order-app \\| [A-Za-z]");
        for (String csv : List.of("startup.csv", "readme-load.csv", "delay-vs-rate.csv", "cpu-profile.csv",
                "rest-vs-jdbc.csv", "drain.csv", "relay-designs.csv", "memory.csv")) {
            List<String> lines = Files.readAllLines(out.resolve(csv));
            assertThat(lines).as(csv).hasSizeGreaterThan(1);
            assertThat(lines.get(1)).as(csv + " first row").containsPattern("\\d");
        }
        assertThat(Files.readAllLines(out.resolve("drain.csv")).get(1)).startsWith("2000,").doesNotContain("n/a,n/a");
        assertThat(Files.readString(out.resolve("delay-vs-rate.svg"))).startsWith("<svg").contains("<polyline");
    }
}
