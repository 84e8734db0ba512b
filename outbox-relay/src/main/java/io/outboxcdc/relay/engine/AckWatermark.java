package io.outboxcdc.relay.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of the replication stream in stream order, each pending until Kafka acknowledged its event (or
 * at once, when nothing is published for it). Only the leading run of acknowledged records may be committed:
 * the source offset never passes an event Kafka has not acknowledged, whatever order the acks come in.
 * Thread-safe: records are added by the engine thread, acknowledged by the producer's I/O thread and taken
 * by the committer.
 */
final class AckWatermark<R> {

    /** One record's place in the stream; {@link #position} counts from 0 per engine run. */
    static final class Entry<R> {
        private final R record;
        private final long position;
        private State state;

        private Entry(R record, long position, State state) {
            this.record = record;
            this.position = position;
            this.state = state;
        }

        long position() {
            return position;
        }
    }

    private enum State { PENDING, ACKNOWLEDGED, FAILED }

    private final ArrayDeque<Entry<R>> entries = new ArrayDeque<>();
    private long nextPosition;
    private int pending;

    /** A record whose event is being sent. */
    synchronized Entry<R> addPending(R record) {
        Entry<R> entry = new Entry<>(record, nextPosition++, State.PENDING);
        entries.addLast(entry);
        pending++;
        return entry;
    }

    /** A record with nothing to publish (skipped, or already dead-lettered): committable once its turn comes. */
    synchronized void addDone(R record) {
        entries.addLast(new Entry<>(record, nextPosition++, State.ACKNOWLEDGED));
        notifyAll();
    }

    synchronized void acknowledge(Entry<R> entry) {
        settle(entry, State.ACKNOWLEDGED);
    }

    synchronized void fail(Entry<R> entry) {
        settle(entry, State.FAILED);
    }

    private void settle(Entry<R> entry, State state) {
        if (entry.state == State.PENDING) {
            pending--;
        }
        entry.state = state;
        notifyAll();
    }

    /** Removes and returns the leading acknowledged records: what may be committed now, in stream order. */
    synchronized List<R> takeAcknowledgedPrefix() {
        List<R> prefix = new ArrayList<>();
        while (!entries.isEmpty() && entries.peekFirst().state == State.ACKNOWLEDGED) {
            prefix.add(entries.pollFirst().record);
        }
        return prefix;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized int pendingCount() {
        return pending;
    }

    /** Waits until no record is pending any more (acknowledged or failed); false when the timeout expired. */
    synchronized boolean awaitNonePending(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until at most {@code limit} records are uncommitted, or {@code stop} says to stop waiting. */
    synchronized void awaitAtMost(int limit, java.util.function.BooleanSupplier stop) throws InterruptedException {
        while (entries.size() > limit && !stop.getAsBoolean()) {
            wait(50);
        }
    }

    /** Wakes waiters, e.g. after the prefix was committed or a failure was recorded. */
    synchronized void wakeUp() {
        notifyAll();
    }
}
