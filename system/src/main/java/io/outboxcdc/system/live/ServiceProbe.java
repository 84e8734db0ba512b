package io.outboxcdc.system.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service's own view of itself: {@code /actuator/health} and the few series the page reads from
 * {@code /actuator/prometheus?includedNames=...} (the full scrape is ~100 KB for billing; rendering and parsing it
 * every second was most of what an open page cost the services and the {@code up} process).
 */
final class ServiceProbe {

    record Health(String status, String detail) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI health;
    private final URI prometheus;

    /** @param metricNames the Prometheus series the page reads from this service (counters with their _total) */
    ServiceProbe(int port, String... metricNames) {
        this.health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        this.prometheus = URI.create("http://127.0.0.1:" + port + "/actuator/prometheus?includedNames="
                + includedNames(metricNames));
    }

    /** Each name as written and without _total: the filter matches a counter's family name, which has no suffix. */
    static String includedNames(String... metricNames) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String name : metricNames) {
            names.add(name);
            if (name.endsWith("_total")) {
                names.add(name.substring(0, name.length() - "_total".length()));
            }
        }
        return String.join(",", names);
    }

    /** The service's reported status (UP, DOWN, OUT_OF_SERVICE ...), with the components that are not UP. */
    Health health() {
        Optional<HttpResponse<String>> response = get(health);
        if (response.isEmpty()) {
            return new Health("DOWN", "not answering");
        }
        try {
            JsonNode body = JSON.readTree(response.get().body());
            String status = body.path("status").asString("UNKNOWN");
            List<String> notUp = new ArrayList<>();
            for (Map.Entry<String, JsonNode> component : body.path("components").properties()) {
                String componentStatus = component.getValue().path("status").asString("");
                if (!componentStatus.equals("UP")) {
                    notUp.add(component.getKey() + " " + componentStatus);
                }
            }
            return new Health(status, String.join(", ", notUp));
        } catch (RuntimeException e) {
            return new Health("UNKNOWN", "health answered HTTP " + response.get().statusCode());
        }
    }

    Optional<PrometheusText> metrics() {
        return get(prometheus).filter(r -> r.statusCode() == 200).map(r -> PrometheusText.parse(r.body()));
    }

    private static Optional<HttpResponse<String>> get(URI uri) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
