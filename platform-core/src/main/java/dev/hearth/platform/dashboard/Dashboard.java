package dev.hearth.platform.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.platform.gateway.Gateway;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The web dashboard on the gateway: {@code /} is its page and {@code /dashboard/FILE} its script and
 * style sheet, plain files beside this class in the jar, read once and served as they are (no build
 * step, nothing fetched from elsewhere: the Content-Security-Policy allows this origin only). The
 * page reads the public APIs alone ({@code /v1/models}, {@code /api/v1/...}), with the bearer key
 * the user gives it when {@code --api-keys} is on, so it shows what any client of them would see.
 */
public final class Dashboard implements Consumer<JavalinConfig> {
    /** The routes it adds, as the reference docs list them. */
    public static final List<Gateway.Route> ROUTES = List.of(
            new Gateway.Route("GET", "/", "The web dashboard: deployments and replicas, hit-ratio and time-to-first-byte "
                    + "charts, warm pools, recent routing decisions, read from the public APIs"),
            new Gateway.Route("GET", "/dashboard/{file}", "The dashboard's script and style sheet"));

    private static final String POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file of the page and the type it is served with. */
    private record Asset(byte[] bytes, String type) {}

    private final Asset page;
    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public Dashboard() {
        this.page = asset("index.html", "text/html; charset=utf-8");
        assets.put("dashboard.js", asset("dashboard.js", "text/javascript; charset=utf-8"));
        assets.put("dashboard.css", asset("dashboard.css", "text/css; charset=utf-8"));
    }

    private static Asset asset(String name, String type) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(JavalinConfig javalin) {
        var r = javalin.routes;
        r.get("/", ctx -> serve(ctx, page));
        r.get("/dashboard/<file>", ctx -> {
            Asset a = assets.get(ctx.pathParam("file"));
            if (a == null) {
                ctx.status(404).contentType("application/json").result(JSON.writeValueAsBytes(Map.of("error", Map.of(
                        "message", "no dashboard file " + ctx.path() + "; the dashboard is at /, its files are "
                                + assets.keySet(), "type", "not_found_error", "code", "not_found"))));
                return;
            }
            serve(ctx, a);
        });
    }

    private static void serve(Context ctx, Asset a) {
        ctx.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .contentType(a.type())
                .result(a.bytes());
    }
}
