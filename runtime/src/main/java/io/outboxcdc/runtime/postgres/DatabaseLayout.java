package io.outboxcdc.runtime.postgres;

/**
 * Names of the two databases and of the relay's replication objects. The local stack uses {@link #standard()};
 * every test class gets its own (slot names are cluster-wide, databases keep test classes apart).
 */
public record DatabaseLayout(String ordersDatabase, String billingDatabase, String replicationSlot,
        String publication) {

    public static DatabaseLayout standard() {
        return new DatabaseLayout("orders", "billing", "outbox_slot", "outbox_pub");
    }

    public static DatabaseLayout withSuffix(String suffix) {
        return new DatabaseLayout("orders_" + suffix, "billing_" + suffix, "outbox_slot_" + suffix, "outbox_pub");
    }
}
