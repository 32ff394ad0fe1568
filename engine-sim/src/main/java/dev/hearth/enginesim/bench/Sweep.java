package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sensitivity: the whole comparison repeated while one setting moves, everything else held, to show
 * where each policy wins and where it does not. {@code kv} varies each replica's KV blocks (ample to
 * tight), {@code replicas} the replica count, {@code rate} the arrival rate as a factor of the base
 * rate (light to overload). Saturation searches are left out: the rate sweep shows the same curve.
 */
public record Sweep(String parameter, List<Double> values) {
    public static final List<String> PARAMETERS = List.of("kv", "replicas", "rate");

    public Sweep {
        if (!PARAMETERS.contains(parameter)) {
            throw new IllegalArgumentException("--sweep varies one of " + PARAMETERS + ", was '" + parameter + "'");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--sweep needs at least one value");
        }
        values = List.copyOf(values);
    }

    /** One point of the sweep: the setting's value and the comparison made there. */
    public record Point(double value, BenchReport report) {}

    /** Parses {@code kv=400000,27000}, {@code replicas=2,4,8,16} or {@code rate=0.5,1,2}. */
    public static Sweep parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--sweep takes PARAMETER=V1,V2,... such as replicas=2,4,8,16, was '" + spec + "'");
        }
        String parameter = spec.substring(0, eq).trim();
        List<Double> values = new ArrayList<>();
        for (String v : spec.substring(eq + 1).split(",")) {
            double d;
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sweep value '" + v.trim() + "' is not a number");
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("--sweep values must be positive, was " + v.trim());
            }
            if (!parameter.equals("rate") && d != Math.rint(d)) {
                throw new IllegalArgumentException("--sweep " + parameter + " takes whole numbers, was " + v.trim());
            }
            if (parameter.equals("kv") && d < 8_192) {
                throw new IllegalArgumentException("--sweep kv values must be at least 8192 blocks (one 128k-token prompt), was " + v.trim());
            }
            values.add(d);
        }
        return new Sweep(parameter, values);
    }

    public List<Point> run(Workload workload, List<Contender> contenders, Comparison.Settings base,
                           Comparison.Progress progress) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            int index = i;
            Comparison.Settings at = new Comparison.Settings(shape(base.shape(), v),
                    parameter.equals("rate") ? base.rate().times(v) : base.rate(), base.sloTtftP99(), 0, base.seed(), base.threads());
            Comparison.Progress step = (done, total) -> progress.update(index * total + done, values.size() * total);
            points.add(new Point(v, new Comparison(at, step).run(workload, contenders)));
        }
        return points;
    }

    private ClusterShape shape(ClusterShape base, double v) {
        return switch (parameter) {
            case "kv" -> base.withKvBlocks((int) v);
            case "replicas" -> base.withReplicas((int) v);
            default -> base;
        };
    }

    /** The axis label for charts and tables. */
    public String axis() {
        return switch (parameter) {
            case "kv" -> "KV blocks of 16 tokens per replica";
            case "replicas" -> "replicas";
            default -> "arrival rate, x the base rate";
        };
    }

    public static String label(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
