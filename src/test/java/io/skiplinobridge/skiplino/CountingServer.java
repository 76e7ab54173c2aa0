package io.skiplinobridge.skiplino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Skiplino stand-in that measures what the guard promises: how many requests are in flight at once
 * and how many arrive in each wall-clock second. Requests can be held at a gate until the test opens it.
 */
final class CountingServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Long> arrivalMillis = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate;
    private final byte[] body = TestSkiplino.fixture("documented/ticket-fetched-200.json").getBytes(StandardCharsets.UTF_8);

    private CountingServer(boolean gated) {
        gate = new CountDownLatch(gated ? 1 : 0);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers every request at once. */
    static CountingServer open() {
        return new CountingServer(false);
    }

    /** Holds every request until {@link #openGate()}. */
    static CountingServer gated() {
        return new CountingServer(true);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/external/v1";
    }

    void openGate() {
        gate.countDown();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int requests() {
        return arrivalMillis.size();
    }

    /** Requests received in each wall-clock second (epoch seconds to count). */
    Map<Long, Long> requestsPerSecond() {
        return arrivalMillis.stream().collect(Collectors.groupingBy(millis -> millis / 1000, Collectors.counting()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        arrivalMillis.add(System.currentTimeMillis());
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // counted out before answering, so the next request a freed caller sends never overlaps it
            inFlight.decrementAndGet();
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        openGate();
        server.stop(0);
        threads.shutdownNow();
    }
}
