package io.replagent.hook;

import io.replagent.replicate.Delivered;
import io.replagent.tree.RawNames;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@code on_batch.webhook}: POSTs a JSON summary of the batch. The paths are capped at {@link #MAX_PATHS} (the counts
 * stay exact, {@code paths_truncated} says when); names that are not UTF-8 are shown with U+FFFD. The URL is never
 * logged whole (a token in it is a secret): messages name its scheme, host and port only.
 */
final class Webhook {

    static final int MAX_PATHS = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    Webhook(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Outcome call(Delivered d) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "agent-webhook")
                .POST(HttpRequest.BodyPublishers.ofString(body(d))).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 300 ? Outcome.OK : Outcome.failed(shown(url) + " answered HTTP " + code);
        } catch (HttpTimeoutException e) {
            return Outcome.timeout(shown(url) + " timed out after " + timeout.toMillis() / 1000.0 + " s");
        } catch (IOException e) {
            return Outcome.failed(shown(url) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(shown(url) + ": interrupted");
        }
    }

    static String body(Delivered d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("watch", d.watch());
        o.put("source", d.source());
        o.put("target", d.target());
        o.put("destination", d.destination());
        o.put("kind", d.kind());
        o.put("full", d.full());
        o.put("paths_total", d.paths().size());
        o.put("paths_truncated", d.paths().size() > MAX_PATHS);
        ArrayNode paths = o.putArray("paths");
        for (String p : d.paths().subList(0, Math.min(MAX_PATHS, d.paths().size()))) paths.add(RawNames.display(p));
        o.put("files", d.files());
        o.put("bytes", d.bytes());
        o.put("seconds", d.seconds());
        o.put("at", d.at().toString());
        return JSON.writeValueAsString(o);
    }

    /** scheme://host:port, without user info, path or query. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
