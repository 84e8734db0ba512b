package io.outboxcdc.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thread groups fold pool numbers, keep names that contain digits, and sum CPU per group (issue 15). */
class ThreadCpuTests {

    @Test
    void foldsPoolNumbersButNotDigitsThatArePartOfTheName() {
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC Thread#");
        assertThat(ThreadCpu.group("pool-2-thread-13")).isEqualTo("pool-#-thread-#");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ThreadCpu.group("http-nio-43923-")).isEqualTo("http-nio-#-");
    }

    @Test
    void sumsTicksPerGroupBetweenSnapshotsLargestFirst() {
        Map<Long, ThreadCpu.Sample> before = Map.of(1L, new ThreadCpu.Sample("GC Thread#0", 100),
                2L, new ThreadCpu.Sample("GC Thread#1", 50), 3L, new ThreadCpu.Sample("C2 CompilerThre", 10));
        Map<Long, ThreadCpu.Sample> after = Map.of(1L, new ThreadCpu.Sample("GC Thread#0", 150),
                2L, new ThreadCpu.Sample("GC Thread#1", 60), 3L, new ThreadCpu.Sample("C2 CompilerThre", 210),
                4L, new ThreadCpu.Sample("http-nio-8080-e", 30));

        Map<String, Double> groups = ThreadCpu.groupsBetween(before, after);

        assertThat(groups).containsExactly(Map.entry("C2 CompilerThre", 2.0), Map.entry("GC Thread#", 0.6),
                Map.entry("http-nio-#-e", 0.3));
        assertThat(ThreadCpu.describe("C2 CompilerThre")).contains("JIT");
        assertThat(ThreadCpu.isProfiler("JFR Thread Samp")).isTrue();
    }

    @Test
    void labelsPostgresBackendsByWhoTheyWorkFor() {
        assertThat(PostgresBackends.kind("walsender", "outbox_relay")).startsWith("walsender");
        assertThat(PostgresBackends.kind("client backend", "order_app")).isEqualTo("order-app backends");
        assertThat(PostgresBackends.kind("client backend", "billing_app")).isEqualTo("billing backends");
        assertThat(PostgresBackends.kind("walwriter", "")).isEqualTo("walwriter");
    }
}
