package io.outboxcdc.runtime.process;

import java.time.Duration;

/**
 * The one OS process a long-lived part of the runtime runs at a time (a Kafka node, a Connect worker): started
 * into the slot, stopped (SIGTERM) or killed (SIGKILL) out of it, and asked whether it lives.
 */
public final class ProcessSlot {

    private volatile JavaProcess process;

    public void set(JavaProcess started) {
        process = started;
    }

    public boolean isAlive() {
        JavaProcess running = process;
        return running != null && running.isAlive();
    }

    /** -1 when empty. */
    public long pid() {
        JavaProcess running = process;
        return running == null ? -1 : running.pid();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; the slot is empty afterwards. */
    public void terminate(Duration grace) {
        JavaProcess running = take();
        if (running != null && running.isAlive()) {
            running.terminate(grace);
        }
    }

    /** SIGKILL at once; the slot is empty afterwards. */
    public void kill() {
        JavaProcess running = take();
        if (running != null) {
            running.kill();
        }
    }

    private synchronized JavaProcess take() {
        JavaProcess running = process;
        process = null;
        return running;
    }
}
