package io.outboxcdc.order.db;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A PostgreSQL JDBC {@code socketFactory} that counts network round trips: every time the client reads after
 * having written, it waited for the server once. Counted per thread (the thread that reads), so a test that
 * runs a transaction on its own thread reads exactly that transaction's count. It sees the wire, not JDBC
 * calls: a BEGIN the driver piggybacks on the first statement is not a round trip, a driver-internal describe
 * or a pool's validation query is.
 */
public final class RoundTripCountingSocketFactory extends SocketFactory {

    private static final ThreadLocal<long[]> ROUND_TRIPS = ThreadLocal.withInitial(() -> new long[1]);

    /** Round trips made so far by the calling thread, over every connection of this factory. */
    public static long ofCurrentThread() {
        return ROUND_TRIPS.get()[0];
    }

    @Override
    public Socket createSocket() {
        return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new UnsupportedOperationException("the driver connects an unconnected socket");
    }

    @Override
    public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("the driver connects an unconnected socket");
    }

    @Override
    public Socket createSocket(java.net.InetAddress host, int port) {
        throw new UnsupportedOperationException("the driver connects an unconnected socket");
    }

    @Override
    public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
            int localPort) {
        throw new UnsupportedOperationException("the driver connects an unconnected socket");
    }

    private static final class CountingSocket extends Socket {

        private volatile boolean wroteSinceRead;
        private InputStream input;
        private OutputStream output;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        countRoundTrip();
                        return super.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        countRoundTrip();
                        return super.read(b, off, len);
                    }
                };
            }
            return input;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        wroteSinceRead = true;
                        super.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        wroteSinceRead = true;
                        out.write(b, off, len); // FilterOutputStream.out, the socket's stream: not byte by byte
                    }
                };
            }
            return output;
        }

        private void countRoundTrip() {
            if (wroteSinceRead) {
                wroteSinceRead = false;
                ROUND_TRIPS.get()[0]++;
            }
        }
    }
}
