package io.outboxcdc.system.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page's HTTP side, on the JDK's built-in server, bound to the loopback interface only (its buttons kill
 * processes). Every state-changing call is a POST that must carry the {@value #GUARD_HEADER} header: a browser
 * will not send a custom header cross-origin without a CORS preflight, which this server never grants, so another
 * web site cannot press the buttons. Errors are RFC 9457 problem details.
 *
 * <pre>
 * GET  /                                  the page (one HTML file: CSS, JS and the SVG chart inline, no CDN)
 * GET  /api/snapshot[?chart=&amp;timeline=&amp;report=]  the latest {@link LiveSnapshot} as JSON, without the parts
 *                                         the page already has (last chart point's t, last timeline seq,
 *                                         the report text's hash)
 * POST /api/parts/{part}/{kill|stop|start|restart}
 * POST /api/load?orders=&amp;rate=&amp;concurrency=
 * POST /api/verify
 * </pre>
 */
final class LiveServer implements AutoCloseable {

    static final String GUARD_HEADER = "X-Outbox-Cdc";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "live-http");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] page;
    private final LiveSampler sampler;
    private final StackControls controls;
    private final InvariantCheck invariant;

    LiveServer(int port, LiveSampler sampler, StackControls controls, InvariantCheck invariant) {
        this.sampler = sampler;
        this.controls = controls;
        this.invariant = invariant;
        this.page = resource("/live/index.html");
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("the live page cannot listen on port " + port + " (" + e.getMessage()
                    + "); pick another with --live-port=<port>", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (NoSuchElementException e) {
            problem(exchange, 404, "Not Found", e.getMessage());
        } catch (MethodNotAllowed e) {
            exchange.getResponseHeaders().set("Allow", e.getMessage());
            problem(exchange, 405, "Method Not Allowed", "use " + e.getMessage());
        } catch (BadRequest e) {
            problem(exchange, 400, "Bad Request", e.getMessage());
        } catch (Forbidden e) {
            problem(exchange, 403, "Forbidden", e.getMessage());
        } catch (RuntimeException e) {
            problem(exchange, 500, "Internal Server Error", e.toString());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/") || path.equals("/index.html")) {
            requireMethod(method, "GET");
            send(exchange, 200, "text/html; charset=utf-8", page);
        } else if (path.equals("/api/snapshot")) {
            requireMethod(method, "GET");
            Map<String, String> query = query(exchange.getRequestURI());
            LiveSnapshot snapshot = sampler.snapshot().withoutUnchanged(longParam(query, "chart"),
                    longParam(query, "timeline"), query.containsKey("report") ? (int) (long) longParam(query, "report") : null);
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(snapshot));
        } else if (path.startsWith("/api/parts/")) {
            guardedPost(exchange);
            String[] parts = path.substring("/api/parts/".length()).split("/");
            if (parts.length != 2) {
                throw new NoSuchElementException("expected /api/parts/{part}/{action}");
            }
            controls.act(new StackControls.Request(parts[0], parts[1]));
            accepted(exchange, parts[1] + " " + parts[0]);
        } else if (path.equals("/api/load")) {
            guardedPost(exchange);
            Map<String, String> query = query(exchange.getRequestURI());
            int orders = intParam(query, "orders", 3000);
            double rate = doubleParam(query, "rate", 100);
            int concurrency = intParam(query, "concurrency", 16);
            boolean started;
            try {
                started = controls.startLoad(orders, rate, concurrency);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage());
            }
            if (!started) {
                problem(exchange, 409, "Load already running", "wait for the running load to finish");
                return;
            }
            accepted(exchange, "load of " + orders + " orders");
        } else if (path.equals("/api/verify")) {
            guardedPost(exchange);
            if (!invariant.runNow()) {
                problem(exchange, 409, "Verification already running", "its result appears on the page");
                return;
            }
            accepted(exchange, "verify");
        } else {
            throw new NoSuchElementException("no such page or endpoint: " + path);
        }
    }

    private static void guardedPost(HttpExchange exchange) {
        requireMethod(exchange.getRequestMethod(), "POST");
        if (exchange.getRequestHeaders().getFirst(GUARD_HEADER) == null) {
            throw new Forbidden("state-changing calls need the header " + GUARD_HEADER + " (the page sends it)");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static void accepted(HttpExchange exchange, String what) throws IOException {
        send(exchange, 202, "application/json", JSON.writeValueAsBytes(Map.of("accepted", what)));
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", exchange.getRequestURI().getPath());
        send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static int intParam(Map<String, String> query, String name, int fallback) {
        String value = query.get(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static Long longParam(Map<String, String> query, String name) {
        String value = query.get(name);
        try {
            return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, got '" + value + "'");
        }
    }

        private static double doubleParam(Map<String, String> query, String name, double fallback) {
        String value = query.get(name);
        try {
            return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a number, got '" + value + "'");
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LiveServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String allowed) {
            super(allowed, null, false, false);
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
