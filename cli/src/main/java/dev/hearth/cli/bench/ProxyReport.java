package dev.hearth.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code hearth bench proxy} run, each target set against the engines called
 * directly in the same run: added latency is the target's percentile minus direct's, and the
 * ratios are the target's figure over direct's (above 1 for p99 is slower, below 1 for requests/s
 * is slower).
 *
 * @param settings what was run
 * @param targets  direct first, then the proxies measured
 * @param skipped  proxies not measured, and why
 */
public record ProxyReport(ProxyBench.Settings settings, List<TargetResult> targets, List<Skipped> skipped) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A proxy the run left out. */
    public record Skipped(String name, String reason) {}

    public ProxyReport {
        if (targets.isEmpty() || !targets.getFirst().name().equals(TargetResult.DIRECT)) {
            throw new IllegalArgumentException("the direct baseline comes first");
        }
        targets = List.copyOf(targets);
        skipped = List.copyOf(skipped);
    }

    public TargetResult direct() {
        return targets.getFirst();
    }

    public double addedP50Ms(TargetResult t) {
        return t.result().p50Ms() - direct().result().p50Ms();
    }

    public double addedP99Ms(TargetResult t) {
        return t.result().p99Ms() - direct().result().p99Ms();
    }

    /** The target's requests/s over direct's; NaN when direct answered nothing. */
    public double rpsRatio(TargetResult t) {
        return ratio(t.result().rps(), direct().result().rps());
    }

    /** The target's p99 over direct's; NaN when direct answered nothing. */
    public double p99Ratio(TargetResult t) {
        return ratio(t.result().p99Ms(), direct().result().p99Ms());
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    public long errors() {
        return targets.stream().mapToLong(t -> t.result().errors()).sum();
    }

    /** The report as a plain table, a line per proxy left out, and the first errors of any target that had some. */
    public String table() {
        ProxyBench.Settings s = settings;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d simulated %s (time scale %d, %d output tokens); %d %s requests per target "
                        + "in %d interleaved rounds, %d concurrent, after %d warm-up requests each%n", s.replicas(),
                s.replicas() == 1 ? "engine" : "engines", ProxyBench.TIME_SCALE, ProxyBench.MAX_TOKENS, s.requests(),
                s.stream() ? "streaming" : "non-streaming", ProxyBench.rounds(s.requests()), s.concurrency(), s.warmup()));
        String head = "%-8s %9s %6s %9s %9s %10s %12s %12s %11s %9s%n";
        out.append(String.format(Locale.ROOT, head, "target", "completed", "errors", "p50 ms", "p99 ms", "req/s",
                "added p50 ms", "added p99 ms", "req/s ratio", "p99 ratio"));
        for (TargetResult t : targets) {
            LoadResult r = t.result();
            out.append(String.format(Locale.ROOT, "%-8s %9d %6d %9.3f %9.3f %10.1f %12.3f %12.3f %11s %9s%n", t.name(),
                    r.completed(), r.errors(), r.p50Ms(), r.p99Ms(), r.rps(), addedP50Ms(t), addedP99Ms(t),
                    times(rpsRatio(t)), times(p99Ratio(t))));
        }
        for (Skipped k : skipped) {
            out.append(k.name()).append(": ").append(k.reason()).append('\n');
        }
        for (TargetResult t : targets) {
            for (String e : t.result().firstErrors()) {
                out.append(t.name()).append(" error: ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** The report as JSON: milliseconds to the microsecond, ratios to three places, NaN as null. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("replicas", settings.replicas());
        root.put("concurrency", settings.concurrency());
        root.put("requests", settings.requests());
        root.put("rounds", ProxyBench.rounds(settings.requests()));
        root.put("warmup", settings.warmup());
        root.put("stream", settings.stream());
        root.put("policy", settings.policy());
        root.put("time_scale", ProxyBench.TIME_SCALE);
        root.put("max_tokens", ProxyBench.MAX_TOKENS);
        ArrayNode list = root.putArray("targets");
        for (TargetResult t : targets) {
            LoadResult r = t.result();
            ObjectNode o = list.addObject();
            o.put("name", t.name());
            ArrayNode urls = o.putArray("urls");
            t.urls().forEach(u -> urls.add(u.toString()));
            o.put("completed", r.completed());
            o.put("errors", r.errors());
            put(o, "p50_ms", r.p50Ms(), 3);
            put(o, "p99_ms", r.p99Ms(), 3);
            put(o, "rps", r.rps(), 1);
            put(o, "added_p50_ms", addedP50Ms(t), 3);
            put(o, "added_p99_ms", addedP99Ms(t), 3);
            put(o, "rps_ratio", rpsRatio(t), 3);
            put(o, "p99_ratio", p99Ratio(t), 3);
            ArrayNode errors = o.putArray("first_errors");
            r.firstErrors().forEach(errors::add);
        }
        ArrayNode left = root.putArray("skipped");
        for (Skipped k : skipped) {
            left.addObject().put("name", k.name()).put("reason", k.reason());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ObjectNode o, String field, double value, int places) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            o.putNull(field);
        } else {
            o.put(field, BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN));
        }
    }
}
