package dev.hearth.platform.shared;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * On a gateway that follows, the control API (and so MCP's tools, which call it) answers from the
 * gateway running the control plane: each {@code /api/v1} call is relayed there as it came, with
 * its credentials, and the answer relayed back, so any gateway behind the Service takes changes.
 * Registered before the control API's own routes, it steps aside once this gateway runs the
 * control plane, and answers 503 while it is taking it over.
 */
public final class LeaderProxy implements Consumer<JavalinConfig> {
    private static final List<String> HEADERS = List.of("Authorization", "Content-Type", "Accept", "X-Request-Id");

    private static final String RELAYED = "X-Hearth-Relayed";

    private final ControlPlaneLease lease;
    private final java.util.function.BooleanSupplier servingHere;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param servingHere whether this gateway's own control plane answers now (taken over and started) */
    public LeaderProxy(ControlPlaneLease lease, java.util.function.BooleanSupplier servingHere) {
        this.lease = lease;
        this.servingHere = servingHere;
    }

    @Override
    public void accept(JavalinConfig javalin) {
        javalin.routes.before("/api/v1/*", ctx -> {
            if (servingHere.getAsBoolean()) {
                return;
            }
            if (lease.held()) {
                unavailable(ctx, "this gateway is taking the control plane over; retry shortly");
                ctx.skipRemainingHandlers();
            } else {
                if (ctx.header(RELAYED) != null) { // the holder no longer holds it: never relay in a circle
                    unavailable(ctx, "the control plane is changing hands; retry shortly");
                } else {
                    relay(ctx);
                }
                ctx.skipRemainingHandlers();
            }
        });
    }

    private void relay(Context ctx) throws InterruptedException {
        String leader = lease.holder();
        if (leader == null) {
            unavailable(ctx, "no gateway runs the control plane right now (one takes it over within "
                    + lease.ttl().toSeconds() + " s of the last one stopping); retry shortly");
            return;
        }
        String query = ctx.queryString();
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(leader + ctx.path() + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(60))
                .header(RELAYED, "follower")
                .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
        for (String h : HEADERS) {
            String v = ctx.header(h);
            if (v != null) {
                out.header(h, v);
            }
        }
        try {
            HttpResponse<InputStream> in = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
            ctx.status(in.statusCode());
            in.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
            ctx.result(in.body());
        } catch (IOException e) {
            unavailable(ctx, "the control plane at " + leader + " does not answer (" + e.getMessage() + "); retry shortly");
        }
    }

    private static void unavailable(Context ctx, String message) {
        ctx.status(503).json(Map.of("error", Map.of("message", message, "type", "service_unavailable",
                "code", "no_control_plane")));
    }
}
