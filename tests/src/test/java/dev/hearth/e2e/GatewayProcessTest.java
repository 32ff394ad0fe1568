package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.SimTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routing issue's "done when", over real processes: {@code hearth serve} starts four simulator
 * processes and the gateway; the test talks to the gateway only (and to a replica's fault route to
 * take it down).
 */
class GatewayProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A running {@code hearth serve}: the gateway, and the replicas' URLs and process ids by replica id. */
    record Serve(Process process, URI gateway, Map<String, URI> replicas, Map<String, Long> pids) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static Serve serve(String flavor) throws Exception {
        Process p = new ProcessBuilder(HearthProcess.command("serve", "--replicas", "4", "--port", "0", "--flavor", flavor,
                "--time-scale", "20", "--state-dir", Files.createTempDirectory("hearth-gw").toString()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern row = Pattern.compile("^(\\S+-\\d+)\\s+(http://\\S+)\\s+(\\d+)\\s+\\S+$");
        Pattern gw = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*");
        URI gateway = null;
        Map<String, URI> replicas = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
            seen.append(line).append('\n');
            Matcher m = row.matcher(line);
            if (m.matches()) {
                replicas.put(m.group(1), URI.create(m.group(2)));
                pids.put(m.group(1), Long.parseLong(m.group(3)));
            }
            Matcher g = gw.matcher(line);
            if (g.matches()) {
                gateway = URI.create(g.group(1));
            }
        }
        assertNotNull(gateway, "serve printed:\n" + seen);
        HearthProcess.drain(out);
        assertEquals(4, replicas.size(), "serve printed:\n" + seen);
        return new Serve(p, gateway, replicas, pids);
    }

    private HttpResponse<String> chat(URI gateway, String system, String user, String session) throws Exception {
        var root = JSON.createObjectNode();
        var messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        root.put("max_tokens", 4);
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(root.toString()));
        if (session != null) {
            b.header("X-Session-Id", session);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    static String system(int group) {
        StringBuilder s = new StringBuilder("You are assistant " + group + ".");
        for (int i = 0; i < 3_000; i++) {
            s.append(' ').append(SimTokenizer.WORDS.get((i * (group + 3) + group) % SimTokenizer.WORDS.size()));
        }
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void groupsStayTogetherSpreadOutAndReuseTheirCaches(String flavor) throws Exception {
        try (Serve serve = serve(flavor)) {
            SimTokenizer tok = new SimTokenizer();
            ChatTemplate template = new ChatTemplate();
            Map<Integer, Set<String>> replicasOf = new HashMap<>();
            int[][] first = new int[4][];
            long cached = 0;
            long ideal = 0;
            for (int i = 0; i < 40; i++) {
                int g = i % 4;
                String user = "question " + i;
                HttpResponse<String> r = chat(serve.gateway(), system(g), user, null);
                replicasOf.computeIfAbsent(g, k -> new HashSet<>()).add(r.headers().firstValue("x-hearth-replica").orElseThrow());
                cached += JSON.readTree(r.body()).at("/usage/prompt_tokens_details/cached_tokens").asLong(0);
                int[] tokens = tok.encode(template.render(List.of(new ChatMessage("system", system(g)),
                        new ChatMessage("user", user)), true));
                if (first[g] == null) {
                    first[g] = tokens;
                } else {
                    int common = 0;
                    while (common < tokens.length && common < first[g].length && tokens[common] == first[g][common]) {
                        common++;
                    }
                    ideal += Math.min(common, tokens.length - 1) / 16 * 16;
                }
            }
            Set<String> used = new HashSet<>();
            replicasOf.forEach((g, rs) -> {
                assertEquals(1, rs.size(), flavor + ": group " + g + " went to " + rs);
                used.addAll(rs);
            });
            assertTrue(used.size() >= 3, flavor + ": groups used " + used);
            assertTrue(cached >= 0.85 * ideal, flavor + ": engines cached " + cached + " of an ideal " + ideal);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void sessionsStayAndOnlyTheKilledReplicasSessionMoves(String flavor) throws Exception {
        try (Serve serve = serve(flavor)) {
            Map<String, String> home = new HashMap<>();
            StringBuilder[] history = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
            for (int turn = 0; turn < 10; turn++) {
                for (int s = 0; s < 3; s++) {
                    history[s].append(" turn ").append(turn).append(" of conversation ").append(s);
                    String replica = chat(serve.gateway(), "Be brief.", history[s].toString(), "session-" + s)
                            .headers().firstValue("x-hearth-replica").orElseThrow();
                    String before = home.putIfAbsent("session-" + s, replica);
                    assertTrue(before == null || before.equals(replica), "session-" + s + " moved on turn " + turn);
                }
            }
            String lost = home.get("session-0");
            ProcessHandle victim = ProcessHandle.of(serve.pids().get(lost)).orElseThrow();
            victim.destroyForcibly(); // kill -9: no goodbye to the gateway
            victim.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (int s = 0; s < 3; s++) {
                String replica = chat(serve.gateway(), "Be brief.", history[s] + " again", "session-" + s)
                        .headers().firstValue("x-hearth-replica").orElseThrow();
                if (home.get("session-" + s).equals(lost)) {
                    assertNotEquals(lost, replica, "session-" + s + " left the lost replica");
                } else {
                    assertEquals(home.get("session-" + s), replica, "session-" + s + " must not move");
                }
            }
        }
    }
}
