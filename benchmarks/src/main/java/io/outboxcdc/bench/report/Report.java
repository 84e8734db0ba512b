package io.outboxcdc.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * report.md as it grows: a headline table (figure, measured, target, met / missed) on top, the machine-load
 * record of every section, then one section per scenario. Written again after every section, so an interrupted
 * run leaves what it measured.
 */
public final class Report {

    /** One headline figure; {@code met} null = no target. */
    public record Row(String figure, String value, String target, Boolean met) {
    }

    /** The machine while one section ran: load average before, others' CPU before and during, re-runs. */
    public record Load(String section, String loadAverage, double foreignBefore, double foreignDuring, int reruns) {
    }

    /** Headline order: the README's load first, then the targets of issues 12–15 in the order the issue lists. */
    private static final List<String> ORDER = List.of("README load", "highest bounded", "commit → Kafka (probe",
            "commit → invoice", "commit → Kafka p50 / p99 at", "REST ÷ JDBC", "pipeline tax", "relay drain", "relay CPU",
            "billing drain", "stack start-up", "peak RSS", "CPU ms per order");

    private final Path file;
    private final StringBuilder intro = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final List<Row> headline = new ArrayList<>();
    private final List<Load> loads = new ArrayList<>();

    public Report(Path file) {
        this.file = file;
    }

    public Report intro(String text) {
        intro.append(text);
        return this;
    }

    public Report section(String title) {
        body.append("\n## ").append(title).append("\n\n");
        return this;
    }

    public Report text(String text) {
        body.append(text);
        return this;
    }

    public Report line(String format, Object... args) {
        body.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    public void headline(String figure, String value, String target, Boolean met) {
        headline.removeIf(r -> r.figure().equals(figure));
        headline.add(new Row(figure, value, target, met));
    }

    public void load(Load load) {
        loads.add(load);
    }

    public List<Row> headline() {
        return List.copyOf(headline);
    }

    public Path write() {
        StringBuilder md = new StringBuilder(intro);
        md.append("\n## Headline\n\n| figure | measured | target | |\n|---|---|---|---|\n");
        List<Row> rows = new ArrayList<>(headline);
        rows.sort(java.util.Comparator.comparingInt(Report::rank));
        for (Row r : rows) {
            md.append("| ").append(r.figure()).append(" | ").append(r.value()).append(" | ")
                    .append(r.target() == null ? "" : r.target()).append(" | ")
                    .append(r.met() == null ? "" : r.met() ? "met" : "**missed**").append(" |\n");
        }
        md.append("\n<details><summary>Machine load per section (CPU of processes outside the system, % of one core)"
                + "</summary>\n\n| section | load average before | others' CPU before | others' CPU during | re-runs |\n"
                + "|---|---|---|---|---|\n");
        for (Load l : loads) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s %% | %s %% | %d |%n", l.section(), l.loadAverage(),
                    Csv.num(l.foreignBefore()), Csv.num(l.foreignDuring()), l.reruns()));
        }
        md.append("\n</details>\n").append(body);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    private static int rank(Row row) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (row.figure().startsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }

    /** "≤ 10": met if value ≤ limit (NaN = missed). */
    public static Boolean atMost(double value, double limit) {
        return !Double.isNaN(value) && value >= 0 && value <= limit;
    }

    public static Boolean atLeast(double value, double limit) {
        return !Double.isNaN(value) && value >= limit;
    }
}
