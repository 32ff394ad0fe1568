package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code hearth mcp} started the way an assistant starts it (a separate process on stdio), driven by
 * the official MCP Java SDK client against a running Hearth with simulator replicas.
 */
class McpStdioTest {
    private static HearthProcess.Serving serve;
    private static URI gateway;

    @BeforeAll
    static void startHearth() throws Exception {
        serve = HearthProcess.serve("--port", "0", "--replicas", "1", "--time-scale", "10",
                "--state-dir", Files.createTempDirectory("hearth-mcp").toString());
        gateway = serve.gateway();
    }

    @AfterAll
    static void stopHearth() {
        serve.close();
    }

    private static McpSyncClient client(List<McpSchema.ProgressNotification> progress, String... more) {
        List<String> cmd = HearthProcess.command("mcp", "--url", gateway.toString());
        cmd.addAll(List.of(more));
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size())).build();
        McpSyncClient c = McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(90)).progressConsumer(progress::add).build();
        c.initialize();
        return c;
    }

    private static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args, Object token) {
        return c.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args).progressToken(token).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        assertNotEquals(Boolean.TRUE, r.isError(), r.content().toString());
        return (Map<String, Object>) r.structuredContent();
    }

    @Test
    void toolsAreDescribedForAModelAndEveryAnnotationIsSet() {
        try (McpSyncClient c = client(new CopyOnWriteArrayList<>())) {
            List<McpSchema.Tool> tools = c.listTools().tools();
            assertEquals(Set.of("deployments_list", "deployment_describe", "deployment_plan", "deployment_apply",
                    "deployment_scale", "deployment_delete", "deployment_events", "replica_logs", "chat_completion", "gpus_list",
                    "deployment_metrics", "routing_decisions", "route_explain",
                    "nodepools_list", "nodepool_create", "nodepool_update"), tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
            for (McpSchema.Tool t : tools) {
                assertTrue(t.name().matches("[a-z]+(_[a-z]+)*"), t.name() + " is snake_case");
                assertTrue(t.description().length() < 400, t.name());
                var a = t.annotations();
                assertNotNull(a.title(), t.name());
                assertNotNull(a.readOnlyHint(), t.name());
                assertNotNull(a.destructiveHint(), t.name());
                assertNotNull(a.idempotentHint(), t.name());
                assertNotNull(a.openWorldHint(), t.name());
                assertEquals("object", t.inputSchema().get("type"), t.name());
                assertNotNull(t.outputSchema(), t.name());
            }
            var delete = tools.stream().filter(t -> t.name().equals("deployment_delete")).findFirst().orElseThrow();
            assertTrue(delete.annotations().destructiveHint());
            assertFalse(delete.annotations().readOnlyHint());
        }
    }

    @Test
    void planApplyChatScaleAndDeleteWithProgress() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient c = client(progress)) {
            int before = (Integer) structured(call(c, "deployments_list", Map.of(), null)).get("total");
            Map<String, Object> plan = structured(call(c, "deployment_plan",
                    Map.of("sentence", "Deploy Qwen3-0.6B with vLLM between 1 and 2 replicas called mcp-demo"), null));
            assertEquals(true, plan.get("applicable"));
            assertEquals("mcp-demo", plan.get("name"));
            String config = (String) plan.get("config");
            assertTrue(config.contains("id: Qwen/Qwen3-0.6B"), config);

            // Scaled by hand below, so without the autoscaler the range turned on; on the local pool.
            String manual = config.replaceAll("(?m)^nodepools: .*$", "nodepools: []")
                    .replace("enabled: true  # follow load", "enabled: false  # follow load");
            Map<String, Object> applied = structured(call(c, "deployment_apply", Map.of("config", manual,
                    "name", "mcp-demo"), "apply-1"));
            assertEquals(true, applied.get("done"), applied.toString());
            assertTrue(progress.stream().anyMatch(p -> "apply-1".equals(p.progressToken())), "progress arrived");
            assertTrue(progress.stream().anyMatch(p -> p.message().contains("replica(s) ready")));

            Map<String, Object> answer = structured(call(c, "chat_completion", Map.of("deployment", "mcp-demo",
                    "messages", List.of(Map.of("role", "user", "content", "Hello there")), "max_tokens", 8), null));
            assertFalse(((String) answer.get("text")).isBlank());
            assertTrue(((String) answer.get("replica")).startsWith("mcp-demo-"), answer.toString());
            assertEquals(8, ((Map<?, ?>) answer.get("usage")).get("completion_tokens"));

            // Metrics and the decision log reflect the request; an explanation places nothing.
            Map<String, Object> metrics = structured(call(c, "deployment_metrics", Map.of("name", "mcp-demo"), null));
            assertEquals(1, metrics.get("requests"));
            assertEquals(1, ((Map<?, ?>) metrics.get("time_to_first_byte_ms")).get("count"));
            assertTrue(((Number) ((Map<?, ?>) metrics.get("end_to_end_ms")).get("p50")).doubleValue() > 0);
            List<?> decisions = (List<?>) structured(call(c, "routing_decisions", Map.of("name", "mcp-demo"), null))
                    .get("decisions");
            assertEquals(1, decisions.size());
            assertEquals(answer.get("replica"), ((Map<?, ?>) decisions.get(0)).get("replica"));
            Map<?, ?> decision = (Map<?, ?>) decisions.get(0);
            assertTrue(String.valueOf(decision.get("scoring")).contains("lowest wins"), decision.toString());
            List<?> candidates = (List<?>) decision.get("candidates");
            assertEquals(1, candidates.stream().filter(x -> Boolean.TRUE.equals(((Map<?, ?>) x).get("chosen"))).count());
            double chosen = candidates.stream().map(x -> (Map<?, ?>) x).filter(x -> Boolean.TRUE.equals(x.get("chosen")))
                    .mapToDouble(x -> ((Number) x.get("score")).doubleValue()).findFirst().orElseThrow();
            assertTrue(candidates.stream().map(x -> ((Map<?, ?>) x).get("score")).allMatch(x -> !(x instanceof Number n)
                    || n.doubleValue() >= chosen), "the cost policy's winner has the lowest score: " + candidates);
            Map<String, Object> why = structured(call(c, "route_explain", Map.of("name", "mcp-demo",
                    "messages", List.of(Map.of("role", "user", "content", "Hello there"))), null));
            assertTrue(((String) why.get("replica")).startsWith("mcp-demo-"));
            assertFalse(((List<?>) why.get("candidates")).isEmpty());
            assertEquals(1, ((List<?>) structured(call(c, "routing_decisions", Map.of("name", "mcp-demo"), null))
                    .get("decisions")).size(), "explaining routed nothing");

            progress.clear();
            Map<String, Object> scaled = structured(call(c, "deployment_scale", Map.of("name", "mcp-demo", "replicas", 2),
                    "scale-1"));
            assertEquals(true, scaled.get("done"), scaled.toString());
            assertFalse(progress.isEmpty());

            Map<String, Object> listed = structured(call(c, "deployments_list", Map.of(), null));
            assertEquals(before + 1, listed.get("total"));

            Map<String, Object> deleted = structured(call(c, "deployment_delete", Map.of("name", "mcp-demo"), "delete-1"));
            assertEquals(true, deleted.get("done"), deleted.toString());
            assertEquals(before, structured(call(c, "deployments_list", Map.of(), null)).get("total"));
        }
    }

    @Test
    void failuresSayWhatToDoAndReadOnlyHidesChanges() {
        try (McpSyncClient c = client(new CopyOnWriteArrayList<>())) {
            McpSchema.CallToolResult unknown = call(c, "deployment_describe", Map.of("name", "nope"), null);
            assertTrue(unknown.isError());
            assertTrue(unknown.content().toString().contains("call deployments_list"), unknown.content().toString());
            McpSchema.CallToolResult invalid = call(c, "deployment_scale", Map.of("name", "qwen3-0-6b", "replicas", "two"), null);
            assertTrue(invalid.isError());
            assertTrue(invalid.content().toString().contains("integer expected"), invalid.content().toString());
            McpSchema.CallToolResult outOfRange = call(c, "deployment_scale", Map.of("name", "qwen3-0-6b", "replicas", 5), null);
            assertTrue(outOfRange.isError());
            assertTrue(outOfRange.content().toString().contains("outside replicas.min"), outOfRange.content().toString());
            Map<String, Object> log = structured(call(c, "replica_logs", Map.of("name", "qwen3-0-6b", "lines", 5), null));
            assertTrue(((List<?>) log.get("lines")).size() <= 5);
            assertTrue(log.get("replica").toString().startsWith("qwen3-0-6b-"));
            McpSchema.CallToolResult noReplica = call(c, "replica_logs", Map.of("name", "qwen3-0-6b", "replica", "x-9"), null);
            assertTrue(noReplica.isError());
            assertTrue(noReplica.content().toString().contains("its replicas:"), noReplica.content().toString());
            McpSchema.CallToolResult autoscaled = call(c, "deployment_apply", Map.of("name", "auto", "config",
                    "model: {id: acme/auto}\nreplicas: {min: 1, max: 2}\nautoscaling: {enabled: true}\n",
                    "timeout_seconds", 60), null);
            assertEquals(true, structured(autoscaled).get("done"));
            McpSchema.CallToolResult fights = call(c, "deployment_scale", Map.of("name", "auto", "replicas", 2), null);
            assertTrue(fights.isError());
            assertTrue(fights.content().toString().contains("is autoscaled"), fights.content().toString());
            Map<String, Object> pool = structured(call(c, "nodepool_create", Map.of("name", "spare", "warm_target", 1,
                    "max_nodes", 2), null));
            assertEquals("spare", pool.get("name"));
            McpSchema.CallToolResult again = call(c, "nodepool_create", Map.of("name", "spare"), null);
            assertTrue(again.isError() && again.content().toString().contains("exists already"), again.content().toString());
            McpSchema.CallToolResult badSentence = call(c, "deployment_apply", Map.of("sentence", "Deploy qwen"), null);
            assertTrue(badSentence.isError());
            assertTrue(badSentence.content().toString().contains("not specific"));
        }
        try (McpSyncClient ro = client(new CopyOnWriteArrayList<>(), "--read-only")) {
            Set<String> names = ro.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertTrue(names.contains("deployments_list") && names.contains("chat_completion"));
            assertFalse(names.contains("deployment_delete") || names.contains("deployment_apply")
                    || names.contains("deployment_scale") || names.contains("nodepool_update"), names.toString());
            assertThrows(Exception.class, () -> call(ro, "deployment_delete", Map.of("name", "qwen3-0-6b"), null),
                    "a hidden tool cannot be called");
        }
    }

    @Test
    void resourcesAndPromptsLeadToTheTools() {
        try (McpSyncClient c = client(new CopyOnWriteArrayList<>())) {
            var fixed = c.listResources().resources().stream().map(McpSchema.Resource::uri).collect(Collectors.toSet());
            assertEquals(Set.of("hearth://docs/config-schema", "hearth://docs/control-api", "hearth://docs/cli"),
                    fixed.stream().filter(u -> u.startsWith("hearth://")).collect(Collectors.toSet()));
            assertTrue(fixed.contains("skill://hearth-mcp/SKILL.md") && fixed.contains("skill://index.json"), fixed.toString());
            var cli = (McpSchema.TextResourceContents) c.readResource(new McpSchema.ReadResourceRequest("hearth://docs/cli"))
                    .contents().get(0);
            assertTrue(cli.text().contains("## hearth deploy") && cli.text().contains("--dry-run"), "the CLI reference");
            assertEquals(List.of("hearth://deployments/{name}"), c.listResourceTemplates().resourceTemplates().stream()
                    .map(McpSchema.ResourceTemplate::uriTemplate).toList());
            var schema = (McpSchema.TextResourceContents) c.readResource(new McpSchema.ReadResourceRequest(
                    "hearth://docs/config-schema")).contents().get(0);
            assertTrue(schema.text().contains("`autoscaling.idle_to_zero`"));
            var state = (McpSchema.TextResourceContents) c.readResource(new McpSchema.ReadResourceRequest(
                    "hearth://deployments/qwen3-0-6b")).contents().get(0);
            assertEquals("application/json", state.mimeType());
            assertTrue(state.text().contains("\"name\" : \"qwen3-0-6b\""), state.text());
            assertThrows(Exception.class, () -> c.readResource(new McpSchema.ReadResourceRequest("hearth://deployments/nope")));

            assertEquals(Set.of("deploy_a_model", "why_is_ttft_high", "cut_serving_cost"), c.listPrompts().prompts().stream()
                    .map(McpSchema.Prompt::name).collect(Collectors.toSet()));
            var prompt = c.getPrompt(new McpSchema.GetPromptRequest("deploy_a_model",
                    Map.of("description", "Qwen3-8B on 2 replicas")));
            String text = ((McpSchema.TextContent) prompt.messages().get(0).content()).text();
            assertTrue(text.contains("Qwen3-8B on 2 replicas") && text.contains("deployment_plan"), text);
            assertThrows(Exception.class, () -> c.getPrompt(new McpSchema.GetPromptRequest("why_is_ttft_high", Map.of())),
                    "a required argument is missing");
        }
    }
}
