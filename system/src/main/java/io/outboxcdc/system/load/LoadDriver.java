package io.outboxcdc.system.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives order-app through its REST API only, as a real client would, and records what it acknowledged. */
public final class LoadDriver {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger idempotentRetries = new AtomicInteger();
    private final AtomicInteger idempotencyViolations = new AtomicInteger();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger clientRetries = new AtomicInteger();

    /** Orders acknowledged so far (while {@link #run} is going on in another thread). */
    public int acknowledgedSoFar() {
        return acknowledged.size();
    }

    public LoadResult run(LoadPlan plan, Consumer<String> progress) {
        long start = System.nanoTime();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        reporter.scheduleAtFixedRate(() -> progress.accept(progressLine(plan, start)), 1, 1, TimeUnit.SECONDS);
        ExecutorService clients = Executors.newFixedThreadPool(plan.concurrency());
        try {
            for (int i = 0; i < plan.orders(); i++) {
                int index = i;
                clients.execute(() -> placeOne(plan, index, start));
            }
            clients.shutdown();
            while (!clients.awaitTermination(1, TimeUnit.SECONDS)) {
                // Progress is printed by the reporter meanwhile.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clients.shutdownNow();
        } finally {
            reporter.shutdownNow();
        }
        progress.accept(progressLine(plan, start));
        return new LoadResult(plan.orders(), Set.copyOf(acknowledged), Set.copyOf(cancelled), idempotentRetries.get(),
                idempotencyViolations.get(), unacknowledged.get(), clientRetries.get(), Map.copyOf(statuses),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void placeOne(LoadPlan plan, int index, long start) {
        Random random = new Random(plan.seed() * 1_000_003L + index);
        pace(plan, index, start);
        String key = UUID.randomUUID().toString();
        String body = orderBody(random, index);
        Optional<UUID> id = send(plan, postOrder(plan.orderApp(), key, body), 200, 201).flatMap(LoadDriver::idOf);
        if (id.isEmpty()) {
            unacknowledged.incrementAndGet();
            done.incrementAndGet();
            return;
        }
        acknowledged.add(id.get());
        if (random.nextDouble() < plan.retryShare()) {
            idempotentRetries.incrementAndGet();
            Optional<UUID> again = send(plan, postOrder(plan.orderApp(), key, body), 200, 201).flatMap(LoadDriver::idOf);
            if (again.isPresent() && !again.get().equals(id.get())) {
                idempotencyViolations.incrementAndGet();
            }
        }
        if (random.nextDouble() < plan.cancelShare()) {
            HttpRequest cancel = HttpRequest.newBuilder(plan.orderApp().resolve("/orders/" + id.get() + "/cancel"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
            if (send(plan, cancel, 200).isPresent()) {
                cancelled.add(id.get());
            }
        }
        done.incrementAndGet();
    }

    /** Sends, retrying on connection errors and 5xx (the same Idempotency-Key makes that safe) until give-up. */
    private Optional<String> send(LoadPlan plan, HttpRequest request, int... accepted) {
        long deadline = System.nanoTime() + plan.giveUpAfter().toNanos();
        long backoffMs = 100;
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                statuses.merge(response.statusCode(), 1, Integer::sum);
                for (int status : accepted) {
                    if (response.statusCode() == status) {
                        return Optional.of(response.body());
                    }
                }
                if (response.statusCode() < 500) {
                    return Optional.empty(); // a client error will not get better by retrying
                }
            } catch (IOException e) {
                statuses.merge(-1, 1, Integer::sum); // -1: no HTTP answer (connection refused or reset)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                return Optional.empty();
            }
            clientRetries.incrementAndGet();
            sleep(backoffMs);
            backoffMs = Math.min(2_000, backoffMs * 2);
        }
    }

    private static HttpRequest postOrder(URI base, String key, String body) {
        return HttpRequest.newBuilder(base.resolve("/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static String orderBody(Random random, int index) {
        return RandomOrders.next(random, "load-" + index % 97).json();
    }

    private static Optional<UUID> idOf(String body) {
        Matcher matcher = ID.matcher(body);
        return matcher.find() ? Optional.of(UUID.fromString(matcher.group(1))) : Optional.empty();
    }

    private static void pace(LoadPlan plan, int index, long start) {
        if (plan.ratePerSecond() <= 0) {
            return;
        }
        long due = start + (long) (index * 1e9 / plan.ratePerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            sleep(wait / 1_000_000);
        }
    }

    private String progressLine(LoadPlan plan, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("  load %6d/%d orders  acknowledged %d  cancelled %d  unacknowledged %d  %.0f/s",
                done.get(), plan.orders(), acknowledged.size(), cancelled.size(), unacknowledged.get(),
                seconds > 0 ? done.get() / seconds : 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // client back-off / pacing, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
