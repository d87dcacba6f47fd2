package com.orderintel.advisor.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of the real RabbitMQ that can withhold what the broker sends (its confirms among it)
 * while letting the client's frames through: a broker that takes messages and never confirms them, which no broker
 * setting gives on demand. Withheld bytes are held back, not dropped, and flow again on {@link #release()}.
 */
final class WithholdingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean withholding;

    WithholdingProxy(String host, int port) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket broker = new Socket(host, port);
                    sockets.add(client);
                    sockets.add(broker);
                    relay(client, broker, false);
                    relay(broker, client, true);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "withholding-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, what the broker sends waits in the proxy. */
    void withhold() {
        withholding = true;
    }

    void release() {
        synchronized (gate) {
            withholding = false;
            gate.notifyAll();
        }
    }

    private void relay(Socket from, Socket to, boolean fromBroker) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromBroker) {
                        synchronized (gate) {
                            while (withholding) {
                                gate.wait();
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: the other follows below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "withholding-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
        sockets.forEach(WithholdingProxy::closeQuietly);
    }
}
