package io.outboxcdc.system.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** What happened to the pipeline, newest last: faults injected, health changes, recoveries, loads, checks. */
final class Timeline {

    enum Kind { FAULT, RECOVERY, ACTION, LOAD, CHECK, INFO }

    record Entry(long seq, Instant at, Kind kind, String text) {
    }

    private static final int KEEP = 200;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long seq;

    synchronized void add(Kind kind, String text) {
        entries.addLast(new Entry(++seq, Instant.now(), kind, text));
        while (entries.size() > KEEP) {
            entries.removeFirst();
        }
    }

    /** The latest {@code limit} entries, oldest first. */
    synchronized List<Entry> latest(int limit) {
        List<Entry> all = new ArrayList<>(entries);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
