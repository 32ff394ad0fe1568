package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.platform.api.ControlClient;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hearth top}: {@code hearth status} redrawn every few seconds, as {@code top} and
 * {@code kubectl top} do, with what changes fastest added: replicas' load as bars, the latest
 * routing decisions, and the warm pools' nodes by state. On a terminal each frame replaces the last
 * (ANSI home and clear); piped, frames follow one another. A frame that cannot reach Hearth says so
 * and the next one tries again; only the first must succeed.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "A live view of a running Hearth: deployments, replicas' load, recent routing decisions, warm pools.")
public final class TopCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin
    HearthTarget target = new HearthTarget();

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between frames (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--iterations", defaultValue = "0",
            description = "Frames to draw before exiting; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--decisions", defaultValue = "8", description = "Recent routing decisions to show (default: ${DEFAULT-VALUE}).")
    int decisions;

    @Override
    public Integer call() throws Exception {
        if (!(interval >= 0.1 && interval <= 3600)) {
            throw new IllegalArgumentException("--interval must be between 0.1 and 3600 seconds, was " + interval);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("--iterations must be 0 (no end) or more, was " + iterations);
        }
        if (decisions < 0 || decisions > 256) {
            throw new IllegalArgumentException("--decisions must be between 0 and 256, was " + decisions);
        }
        ControlClient api = target.client();
        boolean terminal = terminal();
        String first = frame(api); // the first frame must work: a wrong --url fails at once, in one line
        for (int n = 1; ; n++) {
            System.out.print((terminal ? "\033[H\033[2J" : n > 1 ? "\n" : "") + (n == 1 ? first : safeFrame(api)));
            System.out.flush();
            if (iterations > 0 && n >= iterations) {
                return 0;
            }
            Thread.sleep((long) (interval * 1000));
        }
    }

    /**
     * Whether stdout is a terminal. From JDK 22 System.console() exists even when piped, and
     * Console.isTerminal() tells; the code is compiled for 21, so that method is looked up.
     */
    private static boolean terminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    private String safeFrame(ControlClient api) {
        try {
            return frame(api);
        } catch (Exception e) {
            return "hearth top - " + LocalTime.now().format(CLOCK) + " - " + e.getMessage() + "; retrying every "
                    + interval + " s\n";
        }
    }

    /** One screen: the header, the status tables with load bars, the latest decisions, the pools. */
    String frame(ControlClient api) throws Exception {
        ObjectNode status = StatusCommand.fetch(api);
        StringBuilder out = new StringBuilder();
        out.append("hearth top - ").append(LocalTime.now().format(CLOCK)).append(" - ").append(api.base())
                .append(" - every ").append(interval).append(" s\n\n");
        out.append(StatusCommand.table(status));
        out.append(String.format(Locale.ROOT, "%n%-24s %-22s %-22s%n", "REPLICA", "IN FLIGHT + WAITING", "KV USAGE"));
        for (JsonNode d : status.path("deployments")) {
            int most = 1;
            for (JsonNode r : d.path("metrics").path("replicas")) {
                most = Math.max(most, r.path("in_flight").asInt() + r.path("waiting").asInt());
            }
            for (JsonNode r : d.path("metrics").path("replicas")) {
                int load = r.path("in_flight").asInt() + r.path("waiting").asInt();
                out.append(String.format(Locale.ROOT, "%-24s %-22s %-22s%n", r.path("id").asText(),
                        bar((double) load / most, 14) + " " + load, bar(r.path("kv_usage").asDouble(), 14)
                                + String.format(Locale.ROOT, " %3.0f%%", 100 * r.path("kv_usage").asDouble())));
            }
        }
        if (decisions > 0) {
            List<JsonNode> recent = new ArrayList<>();
            for (JsonNode d : status.path("deployments")) {
                for (JsonNode x : api.call("GET", "/api/v1/deployments/" + d.path("name").asText() + "/decisions?limit="
                        + decisions, null).path("decisions")) {
                    ((ObjectNode) x).put("deployment", d.path("name").asText());
                    recent.add(x);
                }
            }
            recent.sort(Comparator.comparing((JsonNode x) -> x.path("time").asText()).reversed());
            out.append(String.format(Locale.ROOT, "%n%-12s %-20s %-24s %-22s %s%n", "TIME", "DEPLOYMENT", "REPLICA", "REASON",
                    "CACHED/PROMPT BLOCKS"));
            for (JsonNode x : recent.subList(0, Math.min(decisions, recent.size()))) {
                out.append(String.format(Locale.ROOT, "%-12s %-20s %-24s %-22s %d/%d%n",
                        localTime(x.path("time").asText()), x.path("deployment").asText(),
                        x.path("replica").asText(), x.path("reason").asText(), x.path("cached_blocks").asInt(),
                        x.path("prompt_blocks").asInt()));
            }
        }
        JsonNode pools = api.call("GET", "/api/v1/nodepools", null).path("nodepools");
        if (!pools.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-20s %-10s %s%n", "NODEPOOL", "PROVIDER", "NODES BY STATE"));
            for (JsonNode p : pools) {
                List<String> states = new ArrayList<>();
                p.path("nodes").properties().forEach(e -> states.add(e.getKey() + " " + e.getValue().asInt()));
                out.append(String.format(Locale.ROOT, "%-20s %-10s %s%n", p.path("name").asText(),
                        p.path("provider").asText("-"), String.join(", ", states)));
            }
        }
        return out.toString();
    }

    /** An API timestamp (ISO-8601, UTC) as this machine's clock time, like the header's. */
    static String localTime(String instant) {
        try {
            return java.time.Instant.parse(instant).atZone(java.time.ZoneId.systemDefault()).format(CLOCK);
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    /** A bar of {@code width} cells, filled to {@code ratio} (0..1). */
    static String bar(double ratio, int width) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, ratio)) * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
