package io.outboxcdc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headline: targets judged met or missed, the README's load first whatever the section order (issue 15). */
class ReportTests {

    @TempDir
    Path dir;

    @Test
    void headlineMarksTargetsAndPutsTheReadmeLoadFirst() throws Exception {
        Report report = new Report(dir.resolve("report.md"));
        report.intro("# t\n");
        report.headline("stack start-up, launch → all healthy (s)", "18.2", "≤ 20 s", Report.atMost(18.2, 20));
        report.headline("relay drain of 100000 events (events/s)", "15200", "≥ 25 000", Report.atLeast(15_200, 25_000));
        report.headline("README load command: orders/s", "512", null, null);

        String md = Files.readString(report.write());

        assertThat(md).containsSubsequence("| README load command: orders/s | 512 |  |  |",
                "| relay drain of 100000 events (events/s) | 15200 | ≥ 25 000 | **missed** |",
                "| stack start-up, launch → all healthy (s) | 18.2 | ≤ 20 s | met |");
    }

    @Test
    void anUnmeasuredFigureNeverMeetsItsTarget() {
        assertThat(Report.atMost(Double.NaN, 10)).isFalse();
        assertThat(Report.atMost(-1, 10)).isFalse();
        assertThat(Report.atLeast(Double.NaN, 0.7)).isFalse();
        assertThat(Report.atLeast(0.7, 0.7)).isTrue();
    }
}
