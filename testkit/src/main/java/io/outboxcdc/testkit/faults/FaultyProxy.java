package io.outboxcdc.testkit.faults;

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
 * A TCP proxy between one client and one server that a test can cut: {@link #blackhole()} keeps every
 * connection open but lets no byte through in either direction (and holds new connections), like a network
 * partition where packets vanish; {@link #restore()} lets the traffic flow again. Unlike closing sockets,
 * this is what makes clients rely on their timeouts. {@link #holdConnectionsAfter(int)} instead lets the first
 * connections through and holds later ones unanswered, to freeze a client at a chosen step of its start-up.
 */
public final class FaultyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile int admitted = Integer.MAX_VALUE;
    private volatile boolean blackholed;
    private volatile boolean closed;

    /** A proxy on a free port. */
    public FaultyProxy(String targetHost, int targetPort) {
        this(0, targetHost, targetPort);
    }

    public FaultyProxy(int listenPort, String targetHost, int targetPort) {
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        } catch (IOException e) {
            throw new UncheckedIOException("proxy could not listen on " + listenPort, e);
        }
        this.target = new InetSocketAddress(targetHost, targetPort);
        Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy-" + listenPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on no byte passes; connections stay open. */
    public void blackhole() {
        blackholed = true;
    }

    /** Traffic flows again on the same connections, and held connections go through. */
    public void restore() {
        synchronized (gate) {
            blackholed = false;
            admitted = Integer.MAX_VALUE;
            gate.notifyAll();
        }
    }

    /** From now on only the first {@code connections} ever accepted pass; later ones wait for {@link #restore()}. */
    public void holdConnectionsAfter(int connections) {
        admitted = connections;
    }

    /** Connections accepted so far that were held (see {@link #holdConnectionsAfter(int)}). */
    public int heldConnections() {
        return held.get();
    }

    public boolean isBlackholed() {
        return blackholed;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                boolean hold = accepted.incrementAndGet() > admitted;
                Thread connector = new Thread(() -> connect(client, hold), "faulty-proxy-conn");
                connector.setDaemon(true);
                connector.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void connect(Socket client, boolean hold) {
        try {
            if (hold) {
                held.incrementAndGet();
            }
            awaitOpen(hold);
            Socket upstream = new Socket();
            upstream.connect(target, 5_000);
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    awaitOpen(false);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed or reset: close both, as a real connection would end.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "faulty-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitOpen(boolean held) {
        synchronized (gate) {
            while ((blackholed || held && admitted != Integer.MAX_VALUE) && !closed) {
                try {
                    gate.wait(); // held until restore(): the bytes vanish from the peers' point of view
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        closeQuietly(server);
        sockets.forEach(FaultyProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
