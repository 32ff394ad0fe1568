package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A progress bar per replica through scheduled, pulling, loading, warming and ready, drawn from a
 * deployment polled over the control API. On a terminal the bars redraw in place; elsewhere (a
 * log, a pipe) each change is one line.
 */
final class ReplicaProgress {
    static final List<String> STAGES = List.of("scheduled", "pulling", "loading", "warming", "ready");
    private static final int WIDTH = 20;

    /** Fetches the deployment as the control API returns it. */
    interface Source {
        JsonNode get() throws Exception;
    }

    private final PrintStream out;
    private final boolean redraw;
    private final Map<String, String> shown = new LinkedHashMap<>();
    private int drawn;

    ReplicaProgress(PrintStream out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    /** Polls until the deployment is available; false (with the reason printed) when it fails or time runs out. */
    boolean follow(Source source, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode d = source.get();
            draw(d);
            String status = d.path("status").asText();
            if (status.equals("available")) {
                out.printf("%s is available: %d replica(s) ready%n", d.path("name").asText(), d.path("ready_replicas").asInt());
                return true;
            }
            if (System.nanoTime() > deadline) {
                out.printf("%s is %s after %d s: %d of %d replica(s) ready; see GET /api/v1/deployments/%s/events%n",
                        d.path("name").asText(), status, timeout.toSeconds(), d.path("ready_replicas").asInt(),
                        d.path("replicas").asInt(), d.path("name").asText());
                return false;
            }
            Thread.sleep(200);
        }
    }

    private void draw(JsonNode d) {
        Map<String, String> now = new LinkedHashMap<>();
        int generation = d.path("generation").asInt();
        for (JsonNode r : d.path("replica_statuses")) {
            String phase = r.path("phase").asText();
            if (r.path("generation").asInt() == generation && !phase.equals("stopped")) {
                now.put(r.path("id").asText(), phase.equals("failed") ? "failed: " + r.path("message").asText()
                        : r.path("stage").asText(phase));
            }
        }
        if (redraw) {
            if (drawn > 0) {
                out.printf("\033[%dA", drawn); // back to the first bar
            }
            now.forEach((id, stage) -> out.printf("\033[2K%-24s %s %s%n", id, bar(stage), stage));
            drawn = now.size();
        } else {
            now.forEach((id, stage) -> {
                if (!stage.equals(shown.get(id))) {
                    out.printf("%-24s %s %s%n", id, bar(stage), stage);
                }
            });
        }
        shown.clear();
        shown.putAll(now);
        out.flush();
    }

    /** {@code [##########----------]}: the share of the stages passed. */
    static String bar(String stage) {
        int at = STAGES.indexOf(stage);
        int filled = at < 0 ? 0 : (at + 1) * WIDTH / STAGES.size();
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }
}
