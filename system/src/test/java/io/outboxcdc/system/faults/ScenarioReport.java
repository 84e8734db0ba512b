package io.outboxcdc.system.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The markdown table of failure scenarios, rewritten after each one so a partial run still leaves it. */
final class ScenarioReport {

    record Row(String scenario, long orders, long topicRecords, long duplicatesDelivered, String suppressed,
            long lost, long doubleBilled, double recoverySeconds, boolean passed) {
    }

    private final Path file;
    private final List<Row> rows = new ArrayList<>();

    ScenarioReport(Path file) {
        this.file = file;
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.out.printf("[scenario] %-44s %s orders=%d topic=%d dup-delivered=%d suppressed=%s lost=%d "
                + "double=%d recovery=%.1fs%n", row.scenario(), row.passed() ? "PASS" : "FAIL", row.orders(),
                row.topicRecords(), row.duplicatesDelivered(), row.suppressed(), row.lost(), row.doubleBilled(),
                row.recoverySeconds());
        write();
    }

    private void write() {
        StringBuilder md = new StringBuilder("| scenario | orders | topic records | duplicates delivered | suppressed "
                + "| lost | double-billed | recovery s | result |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format("| %s | %d | %d | %d | %s | %d | %d | %.1f | %s |%n", r.scenario(), r.orders(),
                    r.topicRecords(), r.duplicatesDelivered(), r.suppressed(), r.lost(), r.doubleBilled(),
                    r.recoverySeconds(), r.passed() ? "pass" : "FAIL"));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
