package io.outboxcdc.relay.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy to PostgreSQL that lets the first {@code passThrough} connections through at once and holds every
 * later one, unanswered, until {@link #open()}. Pointed at by Debezium only, it freezes the engine at a chosen
 * step of its start-up (the connector's validation passes, the task's connections wait), so a test can hit that
 * step deterministically instead of by timing.
 */
public final class ConnectionGate implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final int passThrough;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean open;
    private volatile boolean closed;

    public ConnectionGate(String targetHost, int targetPort, int passThrough) {
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("gate could not listen", e);
        }
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.passThrough = passThrough;
        Thread acceptor = new Thread(this::acceptLoop, "connection-gate-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far that wait for {@link #open()}. */
    public int heldConnections() {
        return held.get();
    }

    /** Lets the held connections and every later one through. */
    public void open() {
        synchronized (gate) {
            open = true;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                boolean hold = accepted.incrementAndGet() > passThrough;
                Thread connector = new Thread(() -> forward(client, hold), "connection-gate-conn");
                connector.setDaemon(true);
                connector.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void forward(Socket client, boolean hold) {
        try {
            if (hold) {
                held.incrementAndGet();
                awaitOpen();
            }
            Socket upstream = new Socket();
            upstream.connect(target, 5_000);
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void awaitOpen() {
        synchronized (gate) {
            while (!open && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed: end both, as a direct connection would end.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "connection-gate-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        open();
        closeQuietly(server);
        sockets.forEach(ConnectionGate::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
