package io.outboxcdc.system.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The markdown table of failure scenarios, rewritten after each one so a partial run still leaves it. */
final class ScenarioReport {

    /**
     * @param acknowledged orders the clients saw acknowledged; {@code committed} those committed during the
     *     scenario (must be equal)
     * @param idempotencyViolations retried Idempotency-Keys that were answered with another order
     * @param stillToCome the fewest orders still to be placed when a fault landed
     */
    record Row(String scenario, long acknowledged, long committed, long idempotencyViolations, long stillToCome,
            long topicRecords, long duplicatesDelivered, String suppressed, long lost, long doubleBilled,
            double recoverySeconds, long recoveryBoundSeconds, boolean passed) {
    }

    private final Path file;
    private final List<Row> rows = new ArrayList<>();

    ScenarioReport(Path file) {
        this.file = file;
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.out.printf("[scenario] %-44s %s acknowledged=%d committed=%d idempotency-violations=%d "
                + "still-to-come=%d topic=%d dup-delivered=%d suppressed=%s lost=%d double=%d recovery=%.1fs (<= %ds)%n",
                row.scenario(), row.passed() ? "PASS" : "FAIL", row.acknowledged(), row.committed(),
                row.idempotencyViolations(), row.stillToCome(), row.topicRecords(), row.duplicatesDelivered(),
                row.suppressed(), row.lost(), row.doubleBilled(), row.recoverySeconds(), row.recoveryBoundSeconds());
        write();
    }

    private void write() {
        StringBuilder md = new StringBuilder("| scenario | acknowledged | committed | idempotency violations "
                + "| orders still to come at the fault | topic records | duplicates delivered | suppressed | lost "
                + "| double-billed | recovery s (bound) | result |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %s | %d | %d | %.1f (%d) | %s |%n",
                    r.scenario(), r.acknowledged(), r.committed(), r.idempotencyViolations(), r.stillToCome(),
                    r.topicRecords(), r.duplicatesDelivered(), r.suppressed(), r.lost(), r.doubleBilled(),
                    r.recoverySeconds(), r.recoveryBoundSeconds(), r.passed() ? "pass" : "FAIL"));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
