package io.skiplinobridge.config;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The loopback address this process serves HTTP on. In sandbox mode the bridge calls its own
 * embedded sandboxes through it, so it works with {@code server.port=0} as well as with a fixed port.
 */
@Component
public class SelfAddress implements ApplicationListener<WebServerInitializedEvent> {

    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace == null || namespace.isEmpty()) {
            port.complete(event.getWebServer().getPort());
        }
    }

    /** The HTTP port, waiting for the web server to start if it has not yet. */
    public int port() {
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the web server port", e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the web server did not start within 60 s", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }
}
