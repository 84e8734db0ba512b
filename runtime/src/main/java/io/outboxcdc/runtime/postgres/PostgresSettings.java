package io.outboxcdc.runtime.postgres;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server settings every PostgreSQL of this project runs with (embedded, Testcontainers, docker-compose.yml):
 * logical decoding for the relay, and durable commits. zonky and Testcontainers both default to {@code fsync=off};
 * a crash test on a database that may lose committed transactions proves nothing, and with asynchronous commit
 * logical decoding sees a commit only after the WAL writer flushes (~200 ms later).
 */
public final class PostgresSettings {

    public static final Map<String, String> SERVER = settings();

    private PostgresSettings() {
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fsync", "on");
        settings.put("synchronous_commit", "on");
        settings.put("full_page_writes", "on");
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "64");
        settings.put("max_wal_senders", "32");
        settings.put("max_connections", "400");
        // A dead relay's walsender is noticed within seconds, so a standby can take the slot.
        settings.put("wal_sender_timeout", "10s");
        return Collections.unmodifiableMap(settings);
    }
}
