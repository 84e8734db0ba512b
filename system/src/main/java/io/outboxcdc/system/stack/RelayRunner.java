package io.outboxcdc.system.stack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which process runs the relay's connector: the embedded relay (the default, outbox-relay's jar) or a
 * distributed Kafka Connect group ({@code --relay=connect}, see {@link ConnectRelay} and docs/scale-out.md).
 *
 * @param connectPorts REST port of each Connect worker ({@code --connect-port}, worker n on that port + n-1)
 * @param exactlyOnce Kafka Connect's exactly-once source support ({@code --connect-exactly-once}, default true)
 */
public record RelayRunner(Kind kind, List<Integer> connectPorts, boolean exactlyOnce) {

    public enum Kind { EMBEDDED, CONNECT }

    /** Two workers: one runs the task, the other takes it over when the first dies. */
    public static final int CONNECT_WORKERS = 2;
    public static final int DEFAULT_CONNECT_PORT = 8083;

    public RelayRunner {
        connectPorts = List.copyOf(connectPorts);
    }

    public static RelayRunner embedded() {
        return new RelayRunner(Kind.EMBEDDED, List.of(), false);
    }

    /** A Connect group of {@link #CONNECT_WORKERS} workers on consecutive REST ports from {@code firstPort}. */
    public static RelayRunner connect(int firstPort, boolean exactlyOnce) {
        return new RelayRunner(Kind.CONNECT, IntStream.range(0, CONNECT_WORKERS).mapToObj(i -> firstPort + i).toList(),
                exactlyOnce);
    }

    /** A Connect group on the given REST ports (e.g. free ones, in tests). */
    public static RelayRunner connect(List<Integer> ports, boolean exactlyOnce) {
        return new RelayRunner(Kind.CONNECT, ports, exactlyOnce);
    }

    /** From {@code --relay=embedded|connect}, {@code --connect-port=8083}, {@code --connect-exactly-once=true}. */
    public static RelayRunner from(Map<String, String> options, Map<String, String> env) {
        String kind = StackConfig.option("relay", options, env, "embedded").trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "embedded" -> embedded();
            case "connect" -> {
                String port = StackConfig.option("connect-port", options, env, String.valueOf(DEFAULT_CONNECT_PORT));
                String exactlyOnce = StackConfig.option("connect-exactly-once", options, env, "true");
                yield connect(parsePort(port), !"false".equalsIgnoreCase(exactlyOnce.trim()));
            }
            default -> throw new IllegalArgumentException("--relay must be embedded or connect, got '" + kind + "'");
        };
    }

    public boolean onConnect() {
        return kind == Kind.CONNECT;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535 - CONNECT_WORKERS) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--connect-port must be a port number, got '" + value + "'");
        }
    }
}
