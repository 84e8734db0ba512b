package io.outboxcdc.bench.measure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sums every series of one metric name in a Prometheus text endpoint: 0 if the metric is not there (yet: meters
 * registered on first use), NaN if the endpoint does not answer.
 */
public final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Prometheus() {
    }

    public static double sum(String endpoint, String metric) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double total = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
