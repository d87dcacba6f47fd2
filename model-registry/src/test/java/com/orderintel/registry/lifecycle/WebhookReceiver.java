package com.orderintel.registry.lifecycle;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver on loopback that records each request and answers {@code status}. */
final class WebhookReceiver implements AutoCloseable {

    record Request(String signature, String eventId, String eventType, String timestamp, String attempt, byte[] body) { }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger status;
    private final HttpServer server;

    WebhookReceiver(int status) throws IOException {
        this.status = new AtomicInteger(status);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            requests.add(new Request(h.getFirst(WebhookSignature.SIGNATURE), h.getFirst(WebhookSignature.EVENT_ID),
                    h.getFirst(WebhookSignature.EVENT_TYPE), h.getFirst(WebhookSignature.TIMESTAMP),
                    h.getFirst(WebhookSignature.ATTEMPT), body));
            exchange.sendResponseHeaders(this.status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=not-shown");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
