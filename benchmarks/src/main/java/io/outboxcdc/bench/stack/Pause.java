package io.outboxcdc.bench.stack;

/** Waiting in a benchmark: pacing and polling of external state, never synchronisation of threads. */
public final class Pause {

    private Pause() {
    }

    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
