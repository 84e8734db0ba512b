package io.outboxcdc.system.verify;

import java.util.ArrayList;
import java.util.List;

/** The first few concrete violations, so that a failed verification names orders and events, not only counts. */
final class Examples {

    static final int LIMIT = 10;

    private final List<String> items = new ArrayList<>();

    void add(String example) {
        if (items.size() < LIMIT) {
            items.add(example);
        }
    }

    List<String> list() {
        return List.copyOf(items);
    }
}
