package io.outboxcdc.system.live;

import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The page's buttons: faults on the local stack (kill -9, stop, start a service or the broker; restart PostgreSQL)
 * and a load through the REST API. Each part has its own lane (one thread), so a slow graceful stop of one part
 * never holds up a button of another, and two clicks on one part run one after the other.
 */
final class StackControls implements AutoCloseable {

    /** What a click asked for, checked before anything runs. */
    record Request(String target, String action) {
    }

    private static final Map<String, Set<String>> ACTIONS = Map.of(
            "outbox-relay", Set.of("kill", "stop", "start"),
            "billing-consumer", Set.of("kill", "stop", "start"),
            "kafka", Set.of("kill", "stop", "start"),
            "postgresql", Set.of("restart"));

    private final LocalStack stack;
    private final Timeline timeline;
    private final Runnable changed;
    private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();
    private final Set<UUID> acknowledged;
    private final AtomicBoolean loadRunning = new AtomicBoolean();
    private volatile String loadProgress = "no load started from this page";

    /** @param acknowledged where a load adds the order ids it saw acknowledged */
    StackControls(LocalStack stack, Timeline timeline, Runnable changed, Set<UUID> acknowledged) {
        this.stack = stack;
        this.acknowledged = acknowledged;
        this.timeline = timeline;
        this.changed = changed;
    }

    /**
     * Starts the action in the background and returns at once.
     *
     * @throws NoSuchElementException for a part or action the page does not offer
     */
    void act(Request request) {
        Set<String> offered = ACTIONS.get(request.target());
        if (offered == null || !offered.contains(request.action())) {
            throw new NoSuchElementException("no action '" + request.action() + "' on '" + request.target()
                    + "'; offered: " + ACTIONS);
        }
        changed.run();
        lane(request.target()).execute(() -> {
            try {
                run(request);
            } catch (RuntimeException e) {
                timeline.add(Timeline.Kind.INFO, request.action() + " " + request.target() + " failed: " + e.getMessage());
            }
        });
    }

    private void run(Request request) {
        String target = request.target();
        switch (target) {
            case "outbox-relay" -> {
                if (stack.connectRelay().isPresent()) {
                    // An embedded relay started beside the Connect task would take the slot over from it.
                    throw new IllegalStateException("the relay runs on Kafka Connect (--relay=connect); kill or "
                            + "start its workers instead (docs/scale-out.md)");
                }
                service(stack.relay(), request.action());
            }
            case "billing-consumer" -> service(stack.billing(), request.action());
            case "kafka" -> broker(request.action());
            case "postgresql" -> {
                timeline.add(Timeline.Kind.FAULT, "restart PostgreSQL (fast shutdown, then start)");
                Duration took = stack.postgres().restart();
                timeline.add(Timeline.Kind.ACTION, "PostgreSQL started again (" + took.toMillis() + " ms to start)");
            }
            default -> throw new NoSuchElementException(target);
        }
    }

    private void service(SpringBootService service, String action) {
        switch (action) {
            case "kill" -> {
                long pid = service.pid();
                service.kill();
                timeline.add(Timeline.Kind.FAULT, "kill -9 " + service.name() + " (pid " + pid + ")");
            }
            case "stop" -> {
                timeline.add(Timeline.Kind.FAULT, "stop " + service.name() + " (SIGTERM, graceful)");
                boolean graceful = service.stop();
                timeline.add(Timeline.Kind.INFO, service.name() + (graceful ? " exited gracefully"
                        : " did not exit within the grace period and was killed"));
            }
            case "start" -> {
                service.launch();
                timeline.add(Timeline.Kind.ACTION, "start " + service.name() + " (pid " + service.pid() + ")");
            }
            default -> throw new NoSuchElementException(action);
        }
    }

    private void broker(String action) {
        switch (action) {
            case "kill" -> {
                long pid = stack.kafka().pid();
                stack.kafka().kill();
                timeline.add(Timeline.Kind.FAULT, "kill -9 Kafka broker (pid " + pid + ")");
            }
            case "stop" -> {
                timeline.add(Timeline.Kind.FAULT, "stop Kafka broker (SIGTERM, controlled shutdown)");
                stack.kafka().stop();
                timeline.add(Timeline.Kind.INFO, "Kafka broker stopped");
            }
            case "start" -> {
                timeline.add(Timeline.Kind.ACTION, "start Kafka broker");
                Duration took = stack.kafka().start();
                timeline.add(Timeline.Kind.ACTION, "Kafka broker serving again (" + took.toMillis() + " ms to start)");
            }
            default -> throw new NoSuchElementException(action);
        }
    }

    /**
     * Starts a load through order-app's REST API (the {@code load} command's driver, 10 % idempotent retries,
     * 20 % cancellations). False if one is running already.
     */
    boolean startLoad(int orders, double ratePerSecond, int concurrency) {
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), orders, concurrency, ratePerSecond,
                0.1, 0.2, Duration.ofSeconds(60), System.nanoTime());
        if (!loadRunning.compareAndSet(false, true)) {
            return false;
        }
        changed.run();
        timeline.add(Timeline.Kind.LOAD, "load started: " + orders + " orders, " + concurrency + " clients"
                + (ratePerSecond > 0 ? ", " + ratePerSecond + " orders/s" : ", unpaced"));
        loadProgress = "starting";
        lane("load").execute(() -> {
            try {
                LoadResult result = new LoadDriver().run(plan, line -> loadProgress = line.trim());
                acknowledged.addAll(result.acknowledgedOrders());
                loadProgress = result.summary();
                timeline.add(Timeline.Kind.LOAD, "load finished: " + result.acknowledgedOrders().size()
                        + " acknowledged, " + result.cancelled().size() + " cancelled, " + result.unacknowledged()
                        + " never acknowledged, " + result.idempotencyViolations() + " idempotency violations");
            } catch (RuntimeException e) {
                loadProgress = "load failed: " + e.getMessage();
                timeline.add(Timeline.Kind.LOAD, loadProgress);
            } finally {
                changed.run();
                loadRunning.set(false);
            }
        });
        return true;
    }

    LiveSnapshot.Load load() {
        return new LiveSnapshot.Load(loadRunning.get(), loadProgress);
    }

    private ExecutorService lane(String name) {
        return lanes.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "live-" + n);
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Override
    public void close() {
        lanes.values().forEach(ExecutorService::shutdownNow);
    }
}
