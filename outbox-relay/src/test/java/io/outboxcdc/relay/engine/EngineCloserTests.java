package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.DebeziumEngine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The close of a stop or a lost lock: retried while Debezium refuses it, given up once the run ended. */
class EngineCloserTests {

    /** Refuses {@code close()} (as Debezium does while its task starts) a given number of times. */
    private static final class RefusingEngine implements DebeziumEngine<Object> {

        final AtomicInteger calls = new AtomicInteger();
        private final int refusals;

        RefusingEngine(int refusals) {
            this.refusals = refusals;
        }

        @Override
        public void run() {
        }

        @Override
        public void close() {
            if (calls.incrementAndGet() <= refusals) {
                throw new IllegalStateException("Cannot stop engine while tasks are starting");
            }
        }
    }

    @Test
    void retriesUntilTheEngineAcceptsTheClose() {
        CurrentRun run = new CurrentRun();
        RefusingEngine engine = new RefusingEngine(3);
        assertThat(run.begin(engine, null)).isTrue();

        new EngineCloser(run).close(engine, System.nanoTime() + 10_000_000_000L);

        assertThat(engine.calls).hasValue(4);
    }

    @Test
    void stopsRetryingOnceTheRunHasEnded() {
        CurrentRun run = new CurrentRun();
        RefusingEngine engine = new RefusingEngine(Integer.MAX_VALUE);
        assertThat(run.begin(engine, null)).isTrue();
        run.end();

        new EngineCloser(run).close(engine, System.nanoTime() + 10_000_000_000L);

        assertThat(engine.calls).hasValue(1);
    }

    @Test
    void stopsRetryingAtTheDeadline() {
        CurrentRun run = new CurrentRun();
        RefusingEngine engine = new RefusingEngine(Integer.MAX_VALUE);
        assertThat(run.begin(engine, null)).isTrue();

        new EngineCloser(run).close(engine, System.nanoTime() + 300_000_000L);

        assertThat(engine.calls.get()).isBetween(2, 10);
    }

    @Test
    void aStoppingRelayStartsNoEngine() {
        CurrentRun run = new CurrentRun();
        CurrentRun.Running found = run.stop();

        assertThat(found.engine()).isNull();
        assertThat(run.begin(new RefusingEngine(0), null)).isFalse();
        assertThat(run.isStopping()).isTrue();
    }
}
