package io.outboxcdc.runtime.postgres;

/**
 * A login role of the local stack. The embedded server trusts local connections, so these passwords only
 * matter where the same configuration meets a real server; there they come from the environment.
 */
public record DatabaseRole(String name, String password, boolean replication) {

    /** order-app: writes orders, order_items, idempotency_keys and outbox, nothing else. */
    public static final DatabaseRole ORDER_APP = new DatabaseRole("order_app", "order_app", false);
    /** billing-consumer: writes the billing tables only. */
    public static final DatabaseRole BILLING_APP = new DatabaseRole("billing_app", "billing_app", false);
    /** outbox-relay: REPLICATION, reads the outbox, touches the heartbeat row. */
    public static final DatabaseRole RELAY = new DatabaseRole("outbox_relay", "outbox_relay", true);
}
