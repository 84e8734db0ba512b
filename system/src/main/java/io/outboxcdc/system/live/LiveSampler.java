package io.outboxcdc.system.live;

import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.stack.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the sources while somebody watches (a page polled in the last {@value #IDLE_AFTER_SECONDS}
 * seconds) and keeps the latest {@link LiveSnapshot}; with no page open it reads nothing. Every second: the
 * database counts, the topic, consumer lag and the few service metrics the page shows (filtered scrapes). Every
 * {@value #SLOW_EVERY_TICKS} seconds only: a health check of a service that is UP, the dead-letter topic's size
 * and the commit -> invoice window; a service whose process changed or that was not UP is checked every second,
 * and a killed process is DOWN at once. The page shows a value's age when it is older than a second. Health changes become
 * timeline entries (DOWN, then UP again with the outage's length).
 */
final class LiveSampler implements AutoCloseable {

    static final int IDLE_AFTER_SECONDS = 10;
    static final int SLOW_EVERY_TICKS = 5;
    private static final int CHART_EVERY_TICKS = SLOW_EVERY_TICKS;
    private static final int CHART_POINTS = 120; // 10 minutes at one point per 5 s
    private static final int DELAY_WINDOW_SECONDS = 60;
    // The relay's last-event age has scrape-time jitter; rows this close after the last relayed one are not lag.
    private static final Duration RELAYED_TOLERANCE = Duration.ofMillis(250);

    private final LocalStack stack;
    private final Timeline timeline;
    private final StackControls controls;
    private final InvariantCheck invariant;
    private final DatabaseProbe database;
    private final TopicTail tail;
    private final KafkaProbe kafka;
    private final ServiceProbe orderApp;
    private final ServiceProbe relay;
    private final ServiceProbe billing;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "live-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Deque<LiveSnapshot.ChartPoint> chart = new ArrayDeque<>();
    private final Map<String, String> lastStatus = new HashMap<>();
    private final Map<String, Instant> downSince = new HashMap<>();
    private final Map<String, CheckedHealth> checkedHealth = new HashMap<>();
    private volatile long lastDemandNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(2L * IDLE_AFTER_SECONDS);
    private volatile LiveSnapshot latest;
    private boolean tailStarted;
    private long ticks;
    private Instant lastRelayedCreatedAt;
    private LiveSnapshot.Delay lastDelay = new LiveSnapshot.Delay(DELAY_WINDOW_SECONDS, null, null, null);
    private Long previousOrders;
    private Long previousInvoices;
    private long previousAtNanos;

    LiveSampler(LocalStack stack, Timeline timeline, StackControls controls, InvariantCheck invariant) {
        this.stack = stack;
        this.timeline = timeline;
        this.controls = controls;
        this.invariant = invariant;
        var config = stack.config();
        this.database = new DatabaseProbe(config.jdbcUrl(stack.layout().ordersDatabase()),
                config.jdbcUrl(stack.layout().billingDatabase()), io.outboxcdc.runtime.postgres.PostgresServer.SUPERUSER,
                stack.layout().replicationSlot());
        this.tail = new TopicTail(config.kafkaBootstrapServers(), LocalStack.ORDERS_TOPIC, this::watched);
        this.kafka = new KafkaProbe(config.kafkaBootstrapServers(), LocalStack.ORDERS_TOPIC,
                LocalStack.DEAD_LETTER_TOPIC, LocalStack.BILLING_GROUP);
        this.orderApp = new ServiceProbe(config.orderAppPort());
        this.relay = new ServiceProbe(config.relayPort(), "relay_event_delay_seconds", "relay_last_event_age_seconds",
                "relay_events_dead_lettered_total");
        this.billing = new ServiceProbe(config.billingPort(), "billing_duplicates_suppressed_total");
    }

    void start() {
        ticker.scheduleAtFixedRate(this::tickIfWatched, 0, 1, TimeUnit.SECONDS);
    }

    /** The latest snapshot; marks the page as watched (sampling goes on while it is asked for). */
    LiveSnapshot snapshot() {
        lastDemandNanos = System.nanoTime();
        LiveSnapshot current = latest;
        if (current == null) {
            synchronized (this) {
                if (latest == null) {
                    tick();
                }
                current = latest;
            }
        }
        return current;
    }

    private boolean watched() {
        return System.nanoTime() - lastDemandNanos <= TimeUnit.SECONDS.toNanos(IDLE_AFTER_SECONDS);
    }

    private void tickIfWatched() {
        if (!watched()) {
            return;
        }
        try {
            synchronized (this) {
                tick();
            }
        } catch (RuntimeException e) {
            System.err.println("live page: a sample failed: " + e);
        }
    }

    private void tick() {
        if (!tailStarted) {
            tail.start();
            tailStarted = true;
        }
        ticks++;
        boolean slowTick = ticks % SLOW_EVERY_TICKS == 1;
        Instant now = Instant.now();
        // The broker probe is the one that can take its full timeout (broker down): run it beside the others.
        CompletableFuture<Optional<KafkaProbe.Reading>> kafkaReading = CompletableFuture.supplyAsync(() -> kafka.read(slowTick));
        List<LiveSnapshot.Component> components = new ArrayList<>();
        components.add(service("order-app", stack.orderApp(), orderApp, slowTick, now));
        components.add(service("outbox-relay", stack.relay(), relay, slowTick, now));
        components.add(service("billing-consumer", stack.billing(), billing, slowTick, now));
        Optional<PrometheusText> relayMetrics = stack.relay().isAlive() ? relay.metrics() : Optional.empty();
        Optional<PrometheusText> billingMetrics = stack.billing().isAlive() ? billing.metrics() : Optional.empty();
        Optional<DatabaseProbe.OrdersReading> orders = database.orders();
        Optional<DatabaseProbe.BillingReading> invoices = database.billing();
        boolean postgresUp = orders.isPresent() || database.reachable();
        components.add(new LiveSnapshot.Component("postgresql", postgresUp ? "UP" : "DOWN",
                postgresUp ? "" : "not answering", stack.postgres().postmasterPid().orElse(null), now));
        Optional<KafkaProbe.Reading> broker = kafkaReading.join();
        boolean kafkaUp = stack.kafka().isRunning() && broker.isPresent();
        components.add(new LiveSnapshot.Component("kafka", kafkaUp ? "UP" : "DOWN",
                stack.kafka().isRunning() ? (kafkaUp ? "" : "not answering") : "process not running",
                stack.kafka().isRunning() ? stack.kafka().pid() : null, now));
        components.forEach(this::noteTransition);

        TopicTail.Counts topic = tail.counts();
        Long duplicatesSuppressed = billingMetrics.flatMap(m -> m.sum("billing_duplicates_suppressed_total"))
                .map(Double::longValue).orElse(null);
        Long ordersCommitted = orders.map(DatabaseProbe.OrdersReading::orders).orElse(null);
        Long invoicesTotal = invoices.map(b -> b.invoicesIssued() + b.invoicesVoided()).orElse(null);
        LiveSnapshot.Counts counts = new LiveSnapshot.Counts(ordersCommitted,
                orders.map(DatabaseProbe.OrdersReading::cancelled).orElse(null),
                orders.map(DatabaseProbe.OrdersReading::outboxEvents).orElse(null),
                topic.caughtUp() ? topic.records() : null, topic.caughtUp() ? topic.duplicates() : null,
                topic.caughtUp(), invoices.map(DatabaseProbe.BillingReading::eventsProcessed).orElse(null),
                invoices.map(DatabaseProbe.BillingReading::invoicesIssued).orElse(null),
                invoices.map(DatabaseProbe.BillingReading::invoicesVoided).orElse(null), duplicatesSuppressed,
                invoices.map(DatabaseProbe.BillingReading::parked).orElse(null),
                broker.map(KafkaProbe.Reading::deadLettered).orElse(null),
                broker.map(KafkaProbe.Reading::deadLetteredAt).orElse(null),
                relayMetrics.flatMap(m -> m.sum("relay_events_dead_lettered_total")).map(Double::longValue).orElse(null),
                rate(ordersCommitted, previousOrders), rate(invoicesTotal, previousInvoices));
        previousOrders = ordersCommitted;
        previousInvoices = invoicesTotal;
        previousAtNanos = System.nanoTime();

        Double kafkaP50 = relayMetrics.flatMap(m -> m.withLabel("relay_event_delay_seconds", "quantile=\"0.5\""))
                .map(s -> s * 1000).orElse(null);
        Double kafkaP99 = relayMetrics.flatMap(m -> m.withLabel("relay_event_delay_seconds", "quantile=\"0.99\""))
                .map(s -> s * 1000).orElse(null);
        relayMetrics.flatMap(m -> m.sum("relay_last_event_age_seconds"))
                .ifPresent(age -> lastRelayedCreatedAt = now.minusMillis((long) (age * 1000)));
        LiveSnapshot.Relay relayState = new LiveSnapshot.Relay(relayLagSeconds(now),
                orders.map(DatabaseProbe.OrdersReading::slotConfirmedLagBytes).orElse(null),
                orders.map(DatabaseProbe.OrdersReading::slotRetainedWalBytes).orElse(null),
                orders.map(DatabaseProbe.OrdersReading::slotActive).orElse(null), kafkaP50, kafkaP99);

        if (ticks % CHART_EVERY_TICKS == 1) {
            lastDelay = database.invoiceDelay(DELAY_WINDOW_SECONDS)
                    .map(d -> new LiveSnapshot.Delay(DELAY_WINDOW_SECONDS, d.invoices(), d.p50Ms(), d.p99Ms()))
                    .orElse(new LiveSnapshot.Delay(DELAY_WINDOW_SECONDS, null, null, null));
            chart.addLast(new LiveSnapshot.ChartPoint(now.toEpochMilli(), kafkaP50, kafkaP99, lastDelay.p50Ms(),
                    lastDelay.p99Ms()));
            while (chart.size() > CHART_POINTS) {
                chart.removeFirst();
            }
        }

        List<KafkaProbe.PartitionLag> lags = broker.map(KafkaProbe.Reading::consumerLag).orElse(List.of());
        Long lagTotal = broker.isEmpty() || lags.stream().anyMatch(l -> l.lag() == null) ? null
                : lags.stream().mapToLong(KafkaProbe.PartitionLag::lag).sum();
        Long inFlight = orders.isEmpty() || invoices.isEmpty() ? null
                : (orders.get().orders() - invoicesTotal) + (orders.get().cancelled() - invoices.get().invoicesVoided());
        boolean allUp = components.stream().allMatch(c -> c.status().equals("UP"));
        invariant.maybeRun(inFlight, lagTotal, relayState.lagSeconds(), allUp, ordersCommitted);

        latest = new LiveSnapshot(now, counts, relayState, lags, lagTotal, lastDelay, components,
                invariant.state(inFlight), controls.load(), timeline.latest(40), List.copyOf(chart),
                invariant.lastReportText().orElse(null));
    }

    private record CheckedHealth(long pid, ServiceProbe.Health health, Instant at) {
    }

    /**
     * A dead process is DOWN at once (no request). A live one is asked on slow ticks; every tick while it was not
     * UP or when its process is new (restarted), so a recovery shows within a second.
     */
    private LiveSnapshot.Component service(String name, SpringBootService process, ServiceProbe probe,
            boolean slowTick, Instant now) {
        if (!process.isAlive()) {
            checkedHealth.remove(name);
            return new LiveSnapshot.Component(name, "DOWN", "process not running", null, now);
        }
        long pid = process.pid();
        CheckedHealth last = checkedHealth.get(name);
        if (slowTick || last == null || last.pid() != pid || !last.health().status().equals("UP")) {
            last = new CheckedHealth(pid, probe.health(), now);
            checkedHealth.put(name, last);
        }
        return new LiveSnapshot.Component(name, last.health().status(), last.health().detail(), pid, last.at());
    }

    /** The oldest outbox event the relay has not sent has waited this long; 0 when it has sent everything. */
    private Double relayLagSeconds(Instant now) {
        if (lastRelayedCreatedAt == null) {
            return null;
        }
        return database.oldestOutboxEventAfter(lastRelayedCreatedAt.plus(RELAYED_TOLERANCE))
                .map(oldest -> oldest.map(at -> Math.max(0, Duration.between(at, now).toMillis()) / 1000.0).orElse(0.0))
                .orElse(null);
    }

    private Double rate(Long current, Long previous) {
        if (current == null || previous == null || previousAtNanos == 0) {
            return null;
        }
        double seconds = (System.nanoTime() - previousAtNanos) / 1e9;
        return seconds <= 0 ? null : Math.max(0, current - previous) / seconds;
    }

    private void noteTransition(LiveSnapshot.Component component) {
        String before = lastStatus.put(component.name(), component.status());
        boolean up = component.status().equals("UP");
        if (before == null) {
            if (!up) {
                downSince.put(component.name(), Instant.now());
                timeline.add(Timeline.Kind.FAULT, component.name() + " is " + component.status()
                        + (component.detail().isEmpty() ? "" : " (" + component.detail() + ")"));
            }
            return;
        }
        if (before.equals(component.status())) {
            return;
        }
        invariant.changed();
        if (up) {
            Instant since = downSince.remove(component.name());
            timeline.add(Timeline.Kind.RECOVERY, component.name() + " UP again"
                    + (since == null ? "" : String.format(" after %.1f s", Duration.between(since, Instant.now()).toMillis() / 1000.0)));
        } else {
            downSince.putIfAbsent(component.name(), Instant.now());
            timeline.add(Timeline.Kind.FAULT, component.name() + " " + component.status()
                    + (component.detail().isEmpty() ? "" : " (" + component.detail() + ")"));
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        tail.close();
        kafka.close();
        database.close();
    }
}
