package io.replagent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} on one address: the JDK's HTTP server with the client library's scrape handler (format
 * negotiation, gzip, {@code name[]} filters). The protobuf format is not shipped (2 MB of shaded protobuf for what
 * the text formats say), so a scraper that prefers it is answered in its next choice instead of with a 500.
 */
final class MetricsHttp implements AutoCloseable {

    private static final String PROTOBUF = "application/vnd.google.protobuf";

    private final HttpServer server;
    private final ExecutorService executor;

    MetricsHttp(InetSocketAddress address, PrometheusRegistry registry) throws IOException {
        PrometheusScrapeHandler scrape = new PrometheusScrapeHandler(registry);
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", exchange -> scrape.handleRequest(new TextOnly(exchange)));
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor); // one scrape at a time: each reads one status snapshot
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** An exchange whose Accept header no longer offers the protobuf format. */
    private static final class TextOnly extends HttpExchangeAdapter {
        TextOnly(HttpExchange exchange) {
            super(exchange);
        }

        @Override public HttpRequest getRequest() {
            return new HttpRequest() {
                @Override public Enumeration<String> getHeaders(String name) {
                    Enumeration<String> values = super.getHeaders(name);
                    if (!name.equalsIgnoreCase("Accept") || values == null) return values;
                    List<String> kept = new ArrayList<>();
                    for (String value : Collections.list(values)) kept.add(withoutProtobuf(value));
                    return Collections.enumeration(kept);
                }
            };
        }
    }

    /** An Accept header's media ranges without the protobuf ones ("*&#47;*" stays: it gets the text format). */
    static String withoutProtobuf(String accept) {
        List<String> kept = new ArrayList<>();
        for (String range : accept.split(",")) if (!range.strip().startsWith(PROTOBUF)) kept.add(range.strip());
        return String.join(",", kept);
    }
}
