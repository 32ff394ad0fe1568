package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Isolation and access on one {@code hearth serve} (a simulated replica, a password-protected
 * redis-server of the test's own), all real processes: keys made by {@code hearth keys add} are
 * on disk as digests only; tenants share neither cached answers nor prefix caches (so neither can
 * time the other's prompts), unless the operator put them in one share group; the control API and
 * MCP's tools need an admin key; {@code /mcp} refuses foreign origins; a hostile skills server is
 * refused; and no key nor the Redis password appears in anything Hearth wrote. Skills' path and
 * digest checks are tested further in {@code SkillArchivesTest}, {@code SkillInstallerTest},
 * {@code DigestsTest} (installer) and {@code WellKnownSkillsTest} (package server); MCP's origins
 * in {@code McpHttpTest}; the gateway's tenancy in-process in {@code TenancyTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BETA = "sk-beta-plain-key-0001";   // written plain, as older files hold keys
    private static final String DELTA = "sk-delta-plain-key-0002";
    private static final String WRONG = "sk-wrong-key-never-valid-0003";
    private static final String BROKEN = "sk-in-a-broken-line-0004";
    private static final String REDIS_PASSWORD = "redis-pw-7Gq2xZ";

    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private Path keys;
    private Path log;
    private Path state;
    private Process redis;
    private int redisPort;
    private HearthProcess.Serving serve;
    private String alpha;
    private String gamma;
    private String ops;
    private final List<String> cliOutput = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("hearth-isolation");
        keys = dir.resolve("keys");
        alpha = addKey("--tenant", "alpha");
        ops = addKey("--tenant", "ops", "--admin");
        gamma = addKey("--tenant", "gamma", "--share", "lab");
        Files.writeString(keys, BETA + " beta\n" + DELTA + " delta share=lab\n", java.nio.file.StandardOpenOption.APPEND);
        try (var s = new java.net.ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redis = ScaleOutProcessTest.startRedis(redisPort, "--requirepass", REDIS_PASSWORD);
        log = dir.resolve("hearth.log");
        state = dir.resolve("state");
        serve = HearthProcess.serveLogged(log, "--port", "0", "--replicas", "1", "--time-scale", "10", "--keep",
                "--api-keys", keys.toString(), "--redis", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + redisPort,
                "--state-dir", state.toString());
    }

    /** {@code hearth keys add ARGS --file KEYS}: the key it printed once. */
    private String addKey(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("keys", "add", "--file", keys.toString()));
        all.addAll(List.of(args));
        HearthProcess.Exit added = HearthProcess.run(all.toArray(String[]::new));
        assertEquals(0, added.code(), added.stderr().toString());
        assertEquals(1, added.stdout().size(), added.stdout().toString());
        cliOutput.addAll(added.stderr());
        assertTrue(added.stderr().get(0).contains("shown only this once"), added.stderr().toString());
        return added.stdout().get(0);
    }

    @AfterAll
    void stop() {
        if (serve != null) {
            serve.close();
            stopReplicas();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    /** With --redis, replicas outlive their gateway for the next control plane to adopt: these are the test's to stop. */
    private void stopReplicas() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^qwen3-0-6b-\\d+\\s+\\S+\\s+(\\d+)\\s")
                .matcher(serve.printed());
        int found = 0;
        while (m.find()) {
            found++;
            ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(p -> {
                p.destroy();
                p.onExit().completeOnTimeout(p, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                p.destroyForcibly();
            });
        }
        assertEquals(1, found, "the replica's pid in:\n" + serve.printed());
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(serve.gateway().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String key, String content, String extra) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/chat/completions", key, "{\"model\":\"qwen3-0-6b\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"" + content + "\"}],\"max_tokens\":4" + extra + "}");
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static int cached(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).at("/usage/prompt_tokens_details/cached_tokens").asInt(0);
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    @Test
    @Order(1)
    void keysAreOnDiskAsDigestsOnlyAndListedWithoutThem() throws Exception {
        String file = Files.readString(keys);
        for (String key : List.of(alpha, ops, gamma)) {
            assertTrue(key.startsWith("sk-hearth-"), key);
            assertFalse(file.contains(key), "hearth keys add writes the digest only");
        }
        assertTrue(file.lines().filter(l -> l.startsWith("sha256:")).count() == 3, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        HearthProcess.Exit listed = HearthProcess.run("keys", "list", "--file", keys.toString(), "--output", "json");
        assertEquals(0, listed.code(), listed.stderr().toString());
        cliOutput.addAll(listed.stdout());
        JsonNode rows = JSON.readTree(String.join("\n", listed.stdout())).path("keys");
        assertEquals(5, rows.size(), rows.toString());
        assertEquals("ops", rows.get(1).path("tenant").asText());
        assertEquals("admin", rows.get(1).path("role").asText());
        assertEquals("lab", rows.get(2).path("share_group").asText());
        assertEquals("inference", rows.get(3).path("role").asText());
        assertEquals("plain", rows.get(3).path("stored").asText());
        assertTrue(rows.get(0).path("digest_prefix").asText().matches("sha256:[0-9a-f]{12}"), rows.toString());
        // One-line errors, none echoing what might be a key.
        CliProcessTest.assertOneLineError(HearthProcess.run("keys", "add", "--file", keys.toString(), "--tenant", "a:b"), 1,
                "a tenant is 1 to 64 letters");
        CliProcessTest.assertOneLineError(HearthProcess.run("keys", "list", "--file", dir.resolve("none").toString()), 1,
                "does not exist");
        HearthProcess.Exit notADigest = HearthProcess.run("keys", "remove", "--file", keys.toString(), alpha);
        CliProcessTest.assertOneLineError(notADigest, 1, "DIGEST must be 8 to 64 hex digits");
        cliOutput.addAll(notADigest.stderr());
        CliProcessTest.assertOneLineError(HearthProcess.run("keys", "add", "--file", keys.toString()), 2,
                "Missing required option: '--tenant=TENANT'");
    }

    @Test
    @Order(2)
    void oneTenantNeverGetsAnothersCachedAnswer() throws Exception {
        String greedy = ",\"temperature\":0";
        assertEquals("miss", header(chat(alpha, "what is the capital of the lab", greedy), "x-hearth-cache"));
        assertEquals("hit", header(chat(alpha, "what is the capital of the lab", greedy), "x-hearth-cache"));
        assertEquals("miss", header(chat(BETA, "what is the capital of the lab", greedy), "x-hearth-cache"),
                "beta's identical deterministic request is not answered from alpha's cache");
        assertEquals("hit", header(chat(BETA, "what is the capital of the lab", greedy), "x-hearth-cache"),
                "beta's own answer is cached for beta");
    }

    /**
     * The prefix-cache timing side channel: were prefixes shared, beta could send a guess of alpha's
     * prompt and read from its time to first token (or cached_tokens, or x-hearth-route) whether
     * alpha sent it. Salted per tenant, beta's identical prompt reuses nothing.
     */
    @Test
    @Order(3)
    void oneTenantCannotWarmOrProbeAnothersPrefixCache() throws Exception {
        String secret = "alpha's confidential merger memo about the northern river project ".repeat(40);
        chat(alpha, secret, "");
        HttpResponse<String> again = chat(alpha, secret, "");
        assertTrue(cached(again) > 300, "alpha reuses its own prefix: " + again.body());
        assertTrue(header(again, "x-hearth-route").startsWith("prefix-hit"), header(again, "x-hearth-route"));
        HttpResponse<String> probe = chat(BETA, secret, "");
        assertEquals(0, cached(probe), "beta's identical prompt finds nothing of alpha's: " + probe.body());
        assertFalse(header(probe, "x-hearth-route").startsWith("prefix-hit"), header(probe, "x-hearth-route"));
        HttpResponse<String> spoof = chat(BETA, secret, ",\"cache_salt\":\"tenant:alpha\"");
        assertEquals(0, cached(spoof), "a client salt stays inside its tenant's namespace");
        assertTrue(cached(chat(BETA, secret, "")) > 300, "beta's own prefix is warm for beta");
    }

    @Test
    @Order(4)
    void aShareGroupSharesItsPrefixesOnly() throws Exception {
        String notebook = "the lab notebook both teams work from, page after page ".repeat(40);
        chat(gamma, notebook, "");
        assertTrue(cached(chat(DELTA, notebook, "")) > 300, "delta reuses gamma's prefix: both are share=lab");
        assertEquals(0, cached(chat(alpha, notebook, "")), "alpha is not in the group");
        String greedy = ",\"temperature\":0";
        assertEquals("miss", header(chat(gamma, "a lab question", greedy), "x-hearth-cache"));
        assertEquals("miss", header(chat(DELTA, "a lab question", greedy), "x-hearth-cache"), "answers stay per tenant");
    }

    @Test
    @Order(5)
    void theControlApiNeedsAnAdminKey() throws Exception {
        HttpResponse<String> none = send("GET", "/api/v1/deployments", null, null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("missing_api_key", JSON.readTree(none.body()).at("/error/code").asText());
        assertEquals(401, send("GET", "/api/v1/deployments", WRONG, null).statusCode());
        for (String tenant : List.of(alpha, BETA)) {
            HttpResponse<String> r = send("GET", "/api/v1/deployments", tenant, null);
            assertEquals(403, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertEquals("admin_key_required", error.path("code").asText(), r.body());
            assertEquals("permission_error", error.path("type").asText(), r.body());
            assertTrue(error.path("message").asText().contains("admin key"), r.body());
        }
        HttpResponse<String> scale = send("POST", "/api/v1/deployments/qwen3-0-6b/scale", alpha, "{\"replicas\":3}");
        assertEquals(403, scale.statusCode(), scale.body());
        assertEquals(403, send("GET", "/api/v1/deployments/qwen3-0-6b/decisions", alpha, null).statusCode(),
                "routing decisions (other tenants' prefixes and placements) are the operator's");
        HttpResponse<String> admin = send("GET", "/api/v1/deployments", ops, null);
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("qwen3-0-6b", JSON.readTree(admin.body()).at("/deployments/0/name").asText());
        assertEquals(200, send("GET", "/api/v1/openapi.json", null, null).statusCode(), "the API's description is public");
        assertEquals(401, send("GET", "/v1/models", null, null).statusCode(), "every /v1 route needs a key");
        assertEquals(200, send("GET", "/v1/models", BETA, null).statusCode(), "any tenant's key lists the models");
        chat(ops, "an admin may infer too", "");
        // The CLI's control commands send --api-key (HearthTarget): a tenant's is refused in one line.
        CliProcessTest.assertOneLineError(HearthProcess.run("status", "--url", serve.gateway().toString(),
                "--api-key", alpha), 1, "admin key");
        HearthProcess.Exit status = HearthProcess.run("status", "--url", serve.gateway().toString(), "--api-key", ops);
        assertEquals(0, status.code(), status.stderr().toString());
        assertTrue(String.join("\n", status.stdout()).contains("qwen3-0-6b"), status.stdout().toString());
    }

    private McpSyncClient mcp(String key) {
        var transport = HttpClientStreamableHttpTransport.builder(serve.gateway().toString()).endpoint("/mcp")
                .jsonMapper(McpJsonDefaults.getMapper())
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
    }

    private static String text(McpSchema.CallToolResult r) {
        return r.content().stream().map(c -> c instanceof McpSchema.TextContent t ? t.text() : "").reduce("", String::concat);
    }

    @Test
    @Order(6)
    void mcpToolsActWithTheCallersKey() throws Exception {
        try (McpSyncClient tenant = mcp(alpha)) {
            tenant.initialize();
            McpSchema.CallToolResult refused = tenant.callTool(new McpSchema.CallToolRequest("deployments_list", Map.of()));
            assertEquals(Boolean.TRUE, refused.isError(), text(refused));
            assertTrue(text(refused).contains("admin key"), text(refused));
            McpSchema.CallToolResult scale = tenant.callTool(new McpSchema.CallToolRequest("deployment_scale",
                    Map.of("name", "qwen3-0-6b", "replicas", 2)));
            assertEquals(Boolean.TRUE, scale.isError(), "a tenant's key changes nothing: " + text(scale));
            assertTrue(text(scale).contains("admin key"), text(scale));
            McpSchema.CallToolResult answer = tenant.callTool(new McpSchema.CallToolRequest("chat_completion", Map.of(
                    "deployment", "qwen3-0-6b", "messages", List.of(Map.of("role", "user", "content", "hi")), "max_tokens", 4)));
            assertNotEquals(Boolean.TRUE, answer.isError(), "inference needs no admin key: " + text(answer));
        }
        try (McpSyncClient admin = mcp(ops)) {
            admin.initialize();
            McpSchema.CallToolResult listed = admin.callTool(new McpSchema.CallToolRequest("deployments_list", Map.of()));
            assertNotEquals(Boolean.TRUE, listed.isError(), text(listed));
            assertTrue(text(listed).contains("qwen3-0-6b"), text(listed));
        }
        try (McpSyncClient wrong = mcp(WRONG)) {
            assertThrows(Exception.class, wrong::initialize, "no session with a wrong key");
        }
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + ops).header("Origin", "http://attacker.example")
                .POST(HttpRequest.BodyPublishers.ofString(init)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), "a web page elsewhere cannot drive /mcp, even with a key in hand");
    }

    /** A skills server whose index climbs out of the skill's folder: `hearth skills install --from` writes nothing. */
    @Test
    @Order(7)
    void aHostileSkillsServerIsRefused() throws Exception {
        byte[] md = "---\nname: demo\ndescription: Demo. Use when asked.\n---\n# Demo\n".getBytes(StandardCharsets.UTF_8);
        String digest = dev.hearth.skills.Digests.sha256(md);
        String index = "{\"skills\":[{\"name\":\"demo\",\"description\":\"d\",\"files\":[{\"path\":\"SKILL.md\",\"digest\":\""
                + digest + "\"},{\"path\":\"../../../.bashrc\",\"digest\":\"" + digest + "\"}]}]}";
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().endsWith("index.json") ? index.getBytes(StandardCharsets.UTF_8) : md;
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        evil.start();
        try {
            Path project = Files.createTempDirectory("hostile-skills");
            CliProcessTest.assertOneLineError(HearthProcess.run("skills", "install", "--agent", "claude-code", "--project",
                    project.toString(), "--from", "http://127.0.0.1:" + evil.getAddress().getPort()), 1,
                    "could leave the skill's folder");
            try (Stream<Path> written = Files.walk(project)) {
                assertEquals(List.of(project), written.toList(), "nothing was written");
            }
        } finally {
            evil.stop(0);
        }
    }

    /** Last: a broken keys line and bad keys are logged about, then every file Hearth wrote is searched for secrets. */
    @Test
    @Order(100)
    void noSecretAppearsInAnyLog() throws Exception {
        for (String path : List.of("/v1/chat/completions", "/api/v1/deployments", "/mcp")) {
            send("POST", path, WRONG, "{}");
        }
        Files.writeString(keys, BROKEN + " bad:tenant\n", java.nio.file.StandardOpenOption.APPEND);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.readString(log).contains("keeping the API keys in force")) {
            assertTrue(System.currentTimeMillis() < deadline, "the broken line was not reported:\n" + Files.readString(log));
            Thread.sleep(100);
        }
        chat(alpha, "keys in force after a broken edit", "");
        HearthProcess.Exit badRedis = HearthProcess.run("serve", "--redis",
                "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + redisPort + "/not-a-db", "--state-dir", dir.resolve("other").toString());
        CliProcessTest.assertOneLineError(badRedis, 1, "--redis must look like redis://HOST:PORT, was redis://***@127.0.0.1");
        cliOutput.addAll(badRedis.stderr());
        ProcessBuilder cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(redisPort), "--no-auth-warning", "-a",
                REDIS_PASSWORD, "HGETALL", "hearth:api-keys").redirectErrorStream(true);
        Process hgetall = cli.start();
        String shared = new String(hgetall.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(hgetall.waitFor() == 0 && shared.contains("ops admin") && shared.contains("gamma share=lab"), shared);
        serve.close(); // everything flushed: the gateway's log, the replicas' logs
        stopReplicas();

        List<Path> files = new ArrayList<>(List.of(log));
        try (Stream<Path> all = Files.walk(state)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".log")), "the replicas' logs: " + files);
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".sh")), "the replicas' launch scripts: " + files);
        String hearthLog = Files.readString(log);
        assertTrue(hearthLog.contains("Gateway  http://"), hearthLog);
        Map<String, String> secrets = Map.of("alpha's key", alpha, "ops's key", ops, "gamma's key", gamma, "beta's key",
                BETA, "delta's key", DELTA, "a wrong key", WRONG, "a broken line's key", BROKEN, "the Redis password",
                REDIS_PASSWORD);
        List<String> found = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            bytes += text.length();
            secrets.forEach((what, secret) -> {
                if (text.contains(secret)) {
                    found.add(what + " in " + f);
                }
            });
        }
        String cli2 = String.join("\n", cliOutput);
        secrets.forEach((what, secret) -> {
            if (cli2.contains(secret)) {
                found.add(what + " in the CLI's output");
            }
        });
        System.out.printf("secrets: %d secrets searched in %d files Hearth wrote (%,d bytes) and %d lines of CLI output: "
                + "%d found%n", secrets.size(), files.size(), bytes, cliOutput.size(), found.size());
        assertEquals(List.of(), found);
    }
}
