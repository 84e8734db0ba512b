package io.outboxcdc.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One CSV file: a header and rows of numbers or plain words (no quoting needed). */
public final class Csv {

    private final Path file;
    private final List<String> lines = new ArrayList<>();

    public Csv(Path file, String... header) {
        this.file = file;
        lines.add(String.join(",", header));
    }

    public void row(Object... values) {
        List<String> cells = new ArrayList<>();
        for (Object v : values) {
            cells.add(v instanceof Double d ? num(d) : String.valueOf(v));
        }
        lines.add(String.join(",", cells));
        write();
    }

    public Path file() {
        return file;
    }

    /** Written after every row, so an interrupted run leaves what it measured. */
    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String num(double v) {
        if (Double.isNaN(v) || v < 0 && v == -1) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
