package io.outboxcdc.system.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The samples of one Prometheus text exposition ({@code /actuator/prometheus}), keyed by the series as written
 * ({@code name} or {@code name{labels}}). Only what the live page reads: values by name, summed over labels.
 */
final class PrometheusText {

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String body) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException e) {
                // A timestamped or malformed line: not one the page reads.
            }
        }
        return new PrometheusText(samples);
    }

    /** The sum over every series of {@code name} (any labels), if the metric is there and not NaN. */
    Optional<Double> sum(String name) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String series = sample.getKey();
            if (series.equals(name) || series.startsWith(name + "{")) {
                if (sample.getValue().isNaN()) {
                    return Optional.empty();
                }
                sum += sample.getValue();
                found = true;
            }
        }
        return found ? Optional.of(sum) : Optional.empty();
    }

    /** The first series of {@code name} whose labels contain {@code label} (e.g. {@code quantile="0.99"}). */
    Optional<Double> withLabel(String name, String label) {
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String series = sample.getKey();
            if (series.startsWith(name + "{") && series.contains(label) && !sample.getValue().isNaN()) {
                return Optional.of(sample.getValue());
            }
        }
        return Optional.empty();
    }
}
