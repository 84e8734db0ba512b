package io.outboxcdc.relay.engine;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the connector metrics MBeans a previous engine run of this process left registered.
 *
 * <p>Why: when an engine's task fails to stop (Kafka down while it commits offsets), Debezium abandons the task's
 * change-event coordinator without unregistering its JMX metrics. The next run's coordinator then waits for the
 * same names, 12 attempts of 5 s for the snapshot metrics and 12 more for the streaming metrics, before it
 * streams: measured 110 s of a stopped relay after a 15 s broker outage. Only one engine runs at a time in a relay
 * process, so whatever is registered under the connector's name before a run belongs to a dead one.
 */
final class LeftoverEngineMetrics {

    private static final Logger log = LoggerFactory.getLogger(LeftoverEngineMetrics.class);

    private LeftoverEngineMetrics() {
    }

    /** Unregisters {@code debezium.postgres:*} MBeans of the given logical server name; returns how many. */
    static int remove(String topicPrefix) {
        return remove(ManagementFactory.getPlatformMBeanServer(), topicPrefix);
    }

    static int remove(MBeanServer server, String topicPrefix) {
        ObjectName pattern;
        try {
            // Debezium registers the server key unquoted (a topic prefix has no characters that need quoting).
            pattern = new ObjectName("debezium.postgres:server=" + topicPrefix + ",*");
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("topic prefix " + topicPrefix, e);
        }
        Set<ObjectName> names = server.queryNames(pattern, null);
        int removed = 0;
        for (ObjectName name : names) {
            try {
                server.unregisterMBean(name);
                removed++;
            } catch (InstanceNotFoundException e) {
                // Gone already: the old run unregistered it after all.
            } catch (MBeanRegistrationException e) {
                log.warn("Could not unregister leftover engine metrics {}: {}", name, e.toString());
            }
        }
        if (removed > 0) {
            log.warn("Removed {} connector metrics MBean(s) left registered by a previous engine run", removed);
        }
        return removed;
    }
}
