package io.outboxcdc.relay.engine;

import io.debezium.engine.DebeziumEngine;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a Debezium engine for a stop or a lost leadership. Debezium refuses {@code close()} while the engine
 * starts its task (it throws: the task opens connections that a concurrent stop would leak, DBZ-2534), and a
 * SIGTERM right after a start or a takeover lands exactly there. Swallowing that refusal left the engine streaming
 * and the shutdown hook waiting for it until SIGKILL; so the close is retried until the engine accepts it or its
 * run has ended. A close accepted while polling still lets the in-flight batch finish and commit.
 */
final class EngineCloser {

    private static final Logger log = LoggerFactory.getLogger(EngineCloser.class);
    private static final long RETRY_MILLIS = 100;

    private final CurrentRun run;

    EngineCloser(CurrentRun run) {
        this.run = run;
    }

    void close(DebeziumEngine<?> engine, long deadlineNanos) {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                // Tasks still starting (retry), or the engine already stopping by itself (its run ends anyway).
                log.debug("Engine not closable yet: {}", e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.warn("Closing the engine failed: {}", e.toString());
                return;
            }
            if (!run.awaitEnd(engine, deadlineNanos, RETRY_MILLIS)) {
                return;
            }
        }
    }

    /** After the run: the engine is done, a failing close changes nothing. */
    static void closeQuietly(DebeziumEngine<?> engine) {
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing the engine: {}", e.toString());
        }
    }
}
