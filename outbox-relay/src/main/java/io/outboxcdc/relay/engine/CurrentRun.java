package io.outboxcdc.relay.engine;

import io.debezium.engine.DebeziumEngine;
import java.util.concurrent.TimeUnit;

/**
 * The engine of the run in progress, if any, and whether the relay is stopping: what a stop (SIGTERM), the run
 * and the leadership watchdog share. One lock, so that a stop either finds the engine to close or prevents the
 * run from starting one.
 */
final class CurrentRun {

    /** What a stop found running; both null when no engine ran. */
    record Running(DebeziumEngine<?> engine, OutboxBatchHandler handler) {
    }

    private final Object lock = new Object();
    private boolean stopping;
    private DebeziumEngine<?> engine;
    private OutboxBatchHandler handler;

    /** Marks the relay stopping, and returns what runs now. */
    Running stop() {
        synchronized (lock) {
            stopping = true;
            return new Running(engine, handler);
        }
    }

    boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** @return false if the relay is stopping: the caller must not run the engine it built */
    boolean begin(DebeziumEngine<?> engine, OutboxBatchHandler handler) {
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            this.engine = engine;
            this.handler = handler;
            return true;
        }
    }

    /** The run is over: wakes whoever waits for it in {@link #awaitEnd}. */
    void end() {
        synchronized (lock) {
            engine = null;
            handler = null;
            lock.notifyAll();
        }
    }

    /**
     * Waits at most {@code maxMillis} (and not past {@code deadlineNanos}) for the run of {@code runEngine} to end.
     *
     * @return true if it is still running and time is left, so the caller may try again
     */
    boolean awaitEnd(DebeziumEngine<?> runEngine, long deadlineNanos, long maxMillis) {
        synchronized (lock) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (engine != runEngine || leftMillis <= 0) {
                return false;
            }
            try {
                lock.wait(Math.min(leftMillis, maxMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }
}
