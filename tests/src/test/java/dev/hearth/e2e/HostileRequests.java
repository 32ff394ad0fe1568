package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hostile requests for Hearth's three HTTP APIs (the OpenAI routes under {@code /v1}, the control API
 * under {@code /api/v1}, MCP's Streamable HTTP at {@code /mcp}), made from a seed and an index, so a
 * request that fails can be made again from those two numbers alone.
 *
 * <p>Most are a valid-looking request with one thing wrong (a known field of the wrong type, a number
 * out of range, an unknown field, the content type, the method, a header, the path), so they get past
 * the JSON parser into the code behind it; the rest are broken at the bottom: truncated JSON, trailing
 * garbage, invalid UTF-8, 10,000 levels of nesting, strings of megabytes just below and above the body
 * limit. A request that would change a deployment or a pool when valid is made so that it cannot be
 * accepted: it names a deployment or pool that does not exist or one that does with a value refused
 * (an unknown config key, a name taken, an out-of-range number), or asks for what is already so.
 */
final class HostileRequests {
    /** The three APIs, each with its own convention for errors. */
    enum Target { V1, API, MCP }

    /** One request: what it aims at, what is wrong with it (its kind), and the bytes to send. */
    record Request(int index, Target target, String kind, String method, String path, List<String[]> headers,
                   byte[] body) {
        /** One line naming the request, with its body's start, for a failure message. */
        String describe() {
            String start = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8)
                    .replaceAll("[\\p{Cntrl}]", "?");
            return "#" + index + " " + target + " " + kind + " " + method + " "
                    + (path.length() > 120 ? path.substring(0, 120) + "...(" + path.length() + " chars)" : path)
                    + " body(" + body.length + " bytes): " + start;
        }
    }

    /**
     * What the requests aim at: a deployment to name (whose context is short, so accepted requests end
     * soon), a pool, the MCP sessions initialised beforehand, the gateway's --max-body-bytes, and the API
     * key every request carries (null for none) unless its Authorization header is what is wrong.
     */
    record Aim(String deployment, String pool, List<String> mcpSessions, int maxBodyBytes, String apiKey) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Where a raw (possibly invalid) JSON value replaces the quoted marker in a serialised body. */
    private static final String MARK = "@@HOSTILE@@";

    /** The expected JSON type of a known field, so "wrong type" means a value of another. */
    private enum Type { STRING, INT, NUMBER, BOOL, OBJECT, ARRAY }

    private record Field(String path, Type type) {}

    private static final List<String> KINDS = List.of("broken-json", "wrong-type", "number", "unknown-field",
            "huge-string", "deep-nesting", "invalid-utf8", "content-type", "method", "header", "path");
    /** How often each kind comes, in the order of {@link #KINDS}; MCP adds "json-rpc". */
    private static final int[] WEIGHTS = {10, 24, 12, 8, 2, 4, 6, 6, 6, 9, 6};

    private static final List<String> WRONG_VALUES = List.of("null", "true", "false", "0", "-1", "1.5", "\"\"",
            "\"x\"", "\"2\"", "[]", "[1]", "[\"a\"]", "{}", "{\"a\":1}", "[[[]]]", "{\"\":null}", "[null]");
    private static final List<String> NUMBERS = List.of("1e309", "-1e309", "-1", "0", "-0", "9223372036854775808",
            "9223372036854775807", "-9223372036854775809", "2147483648", "-2147483649", "4294967296", "1.5", "0.5",
            "1e-400", "123456789012345678901234567890123456789", "1E+2", "-0.0", "3.4028235E38", "65", "10001",
            "NaN", "Infinity", "-Infinity", "+1", "01", "0x10", ".5", "1.", "1e", "--1");
    private static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "\u202e\u0647", "\uD83D\uDCA5",
            "../../etc/passwd", "%00", "<script>alert(1)</script>", "' OR 1=1 --", "\\", "null", "\t\n\r",
            "\uFFFF\uFFFE", "A".repeat(10_000), "\u0000".repeat(64), "${jndi:ldap://127.0.0.1/x}", "{{7*7}}");
    /** Escapes and raw bytes that are not UTF-8, or not Unicode. */
    private static final List<byte[]> BAD_UTF8 = List.of(bytes(0xC3, 0x28), bytes(0xFF), bytes(0xFE, 0xFF),
            bytes(0xC0, 0xAF), bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xF8, 0x88, 0x80, 0x80, 0x80),
            bytes(0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xE2, 0x82));
    private static final List<String> BAD_ESCAPES = List.of("\\ud800", "\\udfff", "\\ud800\\u0041", "\\uDBFF\\uDBFF",
            "\\u0000", "\\uZZZZ", "\\x41", "\\u12");

    private final long seed;
    private final Aim aim;

    HostileRequests(long seed, Aim aim) {
        this.seed = seed;
        this.aim = aim;
    }

    /** The request at {@code index}: the same for the same seed, whatever was made before it. */
    Request at(int index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int t = r.nextInt(100);
        Target target = t < 45 ? Target.V1 : t < 75 ? Target.API : Target.MCP;
        String kind = target == Target.MCP && r.nextInt(100) < 15 ? "json-rpc" : kind(r);
        Draft d = switch (target) {
            case V1 -> v1(r);
            case API -> api(r);
            case MCP -> mcp(r, kind);
        };
        if (aim.apiKey() != null) {
            d.header("Authorization", "Bearer " + aim.apiKey());
        }
        if (!kind.equals("json-rpc")) {
            mutate(r, d, kind);
        }
        return new Request(index, target, kind, d.method, d.path, d.headers, d.bytes());
    }

    private static String kind(SplittableRandom r) {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int pick = r.nextInt(total);
        for (int i = 0; i < WEIGHTS.length; i++) {
            pick -= WEIGHTS[i];
            if (pick < 0) {
                return KINDS.get(i);
            }
        }
        throw new AssertionError();
    }

    /**
     * A request being made: a JSON body (with at most one raw value at {@link #MARK}) or raw bytes, the
     * fields it knows, and whether it may change state when valid (then only refusable mutations apply).
     */
    private static final class Draft {
        String method;
        String path;
        final List<String[]> headers = new ArrayList<>();
        JsonNode json;
        byte[] raw;
        byte[] rawValue;
        final List<Field> fields = new ArrayList<>();
        boolean changesState;
        /** Another path to send the same body to, for path oddities (the route's name segment). */
        String namedPath;

        Draft(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Draft header(String name, String value) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            if (value != null) {
                headers.add(new String[] {name, value});
            }
            return this;
        }

        Draft field(String path, Type type) {
            fields.add(new Field(path, type));
            return this;
        }

        byte[] bytes() {
            if (raw != null) {
                return raw;
            }
            if (json == null) {
                return new byte[0];
            }
            byte[] text;
            try {
                text = JSON.writeValueAsBytes(json);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (rawValue == null) {
                return text;
            }
            byte[] quoted = ("\"" + MARK + "\"").getBytes(StandardCharsets.UTF_8);
            int at = indexOf(text, quoted);
            if (at < 0) {
                return text;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + rawValue.length);
            out.write(text, 0, at);
            out.write(rawValue, 0, rawValue.length);
            out.write(text, at + quoted.length, text.length - at - quoted.length);
            return out.toByteArray();
        }
    }

    // ---- /v1 ----------------------------------------------------------------------------------------

    private Draft v1(SplittableRandom r) {
        int route = r.nextInt(100);
        if (route < 5) {
            return new Draft("GET", "/v1/models");
        }
        boolean chat = route < 70;
        Draft d = new Draft("POST", chat ? "/v1/chat/completions" : "/v1/completions")
                .header("Content-Type", "application/json");
        ObjectNode body = NODES.objectNode();
        body.put("model", aim.deployment());
        if (chat) {
            ArrayNode messages = body.putArray("messages");
            if (r.nextBoolean()) {
                messages.addObject().put("role", "system").put("content", "You are terse.");
            }
            messages.addObject().put("role", "user").put("content", "fuzz " + r.nextInt(1_000_000));
            d.field("messages", Type.ARRAY).field("messages.0", Type.OBJECT).field("messages.0.role", Type.STRING)
                    .field("messages.0.content", Type.STRING).field("max_completion_tokens", Type.INT)
                    .field("tools", Type.ARRAY).field("tool_choice", Type.STRING).field("logprobs", Type.BOOL)
                    .field("metadata", Type.OBJECT).field("metadata.session_id", Type.STRING)
                    .field("messages.0.name", Type.STRING);
        } else {
            if (r.nextInt(4) == 0) {
                ArrayNode ids = body.putArray("prompt");
                for (int i = 0; i < 8; i++) {
                    ids.add(r.nextInt(1000));
                }
                d.field("prompt.0", Type.INT);
            } else {
                body.put("prompt", "fuzz " + r.nextInt(1_000_000));
            }
            d.field("prompt", Type.STRING).field("echo", Type.BOOL).field("suffix", Type.STRING)
                    .field("best_of", Type.INT);
        }
        body.put("max_tokens", 1 + r.nextInt(3));
        boolean stream = r.nextInt(3) == 0;
        if (stream) {
            body.put("stream", true);
            if (r.nextBoolean()) {
                body.putObject("stream_options").put("include_usage", true);
            }
        }
        if (r.nextInt(3) == 0) {
            body.put("temperature", r.nextBoolean() ? 0 : 0.7);
        }
        if (r.nextInt(4) == 0) {
            body.put("seed", r.nextInt(100));
        }
        if (r.nextInt(4) == 0) {
            body.put("user", "user-" + r.nextInt(50));
        }
        if (r.nextInt(4) == 0) {
            d.header("X-Session-Id", "session-" + r.nextInt(50));
        }
        d.json = body;
        d.field("model", Type.STRING).field("max_tokens", Type.INT).field("temperature", Type.NUMBER)
                .field("top_p", Type.NUMBER).field("stream", Type.BOOL).field("stream_options", Type.OBJECT)
                .field("stream_options.include_usage", Type.BOOL).field("n", Type.INT).field("seed", Type.INT)
                .field("stop", Type.STRING).field("user", Type.STRING).field("cache_salt", Type.STRING)
                .field("presence_penalty", Type.NUMBER).field("logit_bias", Type.OBJECT);
        return d;
    }

    // ---- /api/v1 ------------------------------------------------------------------------------------

    private Draft api(SplittableRandom r) {
        String dep = aim.deployment();
        int route = r.nextInt(100);
        Draft d;
        if (route < 18) { // the GET routes, with odd query values
            String[] gets = {"/api/v1/deployments", "/api/v1/deployments/" + dep, "/api/v1/deployments/" + dep + "/events",
                "/api/v1/deployments/" + dep + "/logs", "/api/v1/deployments/" + dep + "/metrics",
                "/api/v1/deployments/" + dep + "/history", "/api/v1/deployments/" + dep + "/decisions", "/api/v1/events",
                "/api/v1/nodepools", "/api/v1/nodepools/" + aim.pool(), "/api/v1/openapi.json"};
            d = new Draft("GET", gets[r.nextInt(gets.length)]);
            String q = switch (r.nextInt(6)) {
                case 0 -> "?limit=" + pickQuery(r);
                case 1 -> "?lines=" + pickQuery(r);
                case 2 -> "?replica=" + pickQuery(r);
                case 3 -> "?limit=1&limit=" + pickQuery(r);
                default -> "";
            };
            d.path += q;
            d.namedPath = d.path.startsWith("/api/v1/deployments/" + dep) ? d.path.replace("/" + dep, "/{name}") : null;
            return d;
        }
        if (route < 30) { // create: the name is taken, or not a name, or the config has an unknown key
            d = new Draft("POST", "/api/v1/deployments");
            ObjectNode body = NODES.objectNode();
            int how = r.nextInt(3);
            body.put("name", how == 0 ? dep : how == 1 ? "Not_A_Name " + r.nextInt(100) : "fuzz-new-" + r.nextInt(1000));
            body.set("config", config(r, true));
            d.json = body;
            d.field("name", Type.STRING);
            configFields(d);
            d.changesState = true;
            if (how != 2) {
                d.fields.removeIf(f -> f.path.equals("name")); // another name could be a valid new one
            }
        } else if (route < 40) { // update: a config with an unknown key
            d = new Draft("PUT", "/api/v1/deployments/" + dep);
            ObjectNode body = NODES.objectNode();
            if (r.nextInt(4) == 0) {
                body.put("config", "model:\n  id: Qwen/Qwen3-0.6B\ncontext_length: 512\nreplicas:\n  min: 2\n  mni: 2\n"
                        + (r.nextBoolean() ? "routing: [unclosed\n" : ""));
            } else {
                body.set("config", config(r, true));
            }
            d.json = body;
            configFields(d);
            d.changesState = true;
            d.namedPath = "/api/v1/deployments/{name}";
        } else if (route < 52) { // scale to what it runs already (a no-op), then made wrong
            d = new Draft("POST", "/api/v1/deployments/" + dep + "/scale");
            d.json = NODES.objectNode().put("replicas", 2);
            d.field("replicas", Type.INT);
            d.namedPath = "/api/v1/deployments/{name}/scale";
        } else if (route < 68) { // explain: reads only
            d = new Draft("POST", "/api/v1/deployments/" + dep + "/explain");
            ObjectNode body = NODES.objectNode();
            if (r.nextBoolean()) {
                body.putArray("messages").addObject().put("role", "user").put("content", "explain " + r.nextInt(1000));
            } else {
                body.put("prompt", "explain " + r.nextInt(1000));
            }
            if (r.nextBoolean()) {
                body.put("session_id", "s-" + r.nextInt(20));
            }
            d.json = body;
            d.field("messages", Type.ARRAY).field("messages.0", Type.OBJECT).field("messages.0.role", Type.STRING)
                    .field("messages.0.content", Type.STRING).field("prompt", Type.STRING).field("session_id", Type.STRING);
            d.namedPath = "/api/v1/deployments/{name}/explain";
        } else if (route < 78) { // a pool whose name is taken
            d = new Draft("POST", "/api/v1/nodepools");
            ObjectNode body = pool(r);
            body.put("name", aim.pool());
            d.json = body;
            poolFields(d);
            d.changesState = true;
        } else if (route < 90) { // the pool changed by one value it refuses
            d = new Draft("PUT", "/api/v1/nodepools/" + aim.pool());
            ObjectNode body = NODES.objectNode();
            String[][] refused = {{"gpus_per_node", "17"}, {"gpus_per_node", "-1"}, {"min_nodes", "-1"},
                {"max_nodes", "0"}, {"max_nodes", "10001"}, {"warm_target", "-1"}, {"spill_over", "0"},
                {"spill_over", "1.5"}, {"spill_over", "-1"}, {"priority", "\"first\""}, {"name", "\"renamed\""},
                {"provider", "7"}, {"instance_type", "[]"}, {"max_nodes", "2147483648"}, {"spill_over", "1e309"}};
            String[] one = refused[r.nextInt(refused.length)];
            body.put(one[0], MARK);
            d.rawValue = one[1].getBytes(StandardCharsets.UTF_8);
            d.json = body;
            d.changesState = true;
            d.namedPath = "/api/v1/nodepools/{name}";
        } else { // deletes of what does not exist
            boolean deployment = r.nextBoolean();
            String name = "missing-" + r.nextInt(1000);
            d = new Draft("DELETE", (deployment ? "/api/v1/deployments/" : "/api/v1/nodepools/") + name);
            d.changesState = true;
            return d;
        }
        d.header("Content-Type", "application/json");
        return d;
    }

    private static String pickQuery(SplittableRandom r) {
        String[] values = {"-1", "0", "1001", "99999999999999999999", "abc", "1.5", "%00", "", "%FF", "1e3", "%20",
            "x".repeat(5_000), "..%2F..%2Fetc%2Fpasswd", "qwen3-0-6b-0", "%C3%A9", "NaN"};
        return values[r.nextInt(values.length)];
    }

    /** A config as the API takes it, with an unknown key somewhere when {@code refusable} (so it is never applied). */
    private static ObjectNode config(SplittableRandom r, boolean refusable) {
        ObjectNode c = NODES.objectNode();
        c.putObject("model").put("id", "Qwen/Qwen3-0.6B");
        c.put("context_length", 512);
        ObjectNode replicas = c.putObject("replicas");
        replicas.put("min", 2);
        replicas.put("max", 2);
        if (r.nextBoolean()) {
            c.putObject("engine").put("name", "vllm").putArray("args").add("--max-num-seqs").add("8");
        }
        if (r.nextBoolean()) {
            c.putObject("routing").put("policy", "cost");
        }
        if (refusable) {
            String[] unknown = {"replicas.mni", "fuzz_key", "engine.nmae", "model.idd", "cache.sizee", "routing.polcy"};
            String key = unknown[r.nextInt(unknown.length)];
            int dot = key.indexOf('.');
            if (dot < 0) {
                c.put(key, true);
            } else {
                ObjectNode parent = c.has(key.substring(0, dot)) ? (ObjectNode) c.get(key.substring(0, dot))
                        : c.putObject(key.substring(0, dot));
                parent.put(key.substring(dot + 1), 1);
            }
        }
        return c;
    }

    private static void configFields(Draft d) {
        d.field("config", Type.OBJECT).field("config.model", Type.OBJECT).field("config.model.id", Type.STRING)
                .field("config.replicas.min", Type.INT).field("config.replicas.max", Type.INT)
                .field("config.context_length", Type.INT).field("config.routing.policy", Type.STRING)
                .field("config.engine.name", Type.STRING).field("config.engine.args", Type.ARRAY)
                .field("config.autoscaling.enabled", Type.BOOL).field("config.cache.ttl", Type.STRING)
                .field("config.gpu.count", Type.INT).field("config.routing.load_epsilon", Type.NUMBER);
    }

    private static ObjectNode pool(SplittableRandom r) {
        ObjectNode p = NODES.objectNode();
        p.put("provider", "local");
        p.put("instance_type", "local");
        p.put("gpu_kind", "none");
        p.put("gpus_per_node", r.nextInt(3));
        p.put("min_nodes", 0);
        p.put("max_nodes", 4);
        p.put("priority", 50);
        p.put("warm_target", 0);
        p.put("spill_over", 0.8);
        return p;
    }

    private static void poolFields(Draft d) {
        d.field("provider", Type.STRING).field("instance_type", Type.STRING).field("gpu_kind", Type.STRING)
                .field("gpus_per_node", Type.INT).field("min_nodes", Type.INT).field("max_nodes", Type.INT)
                .field("priority", Type.INT).field("warm_target", Type.INT).field("spill_over", Type.NUMBER);
    }

    // ---- /mcp ---------------------------------------------------------------------------------------

    /** Tool calls: read-only tools with valid arguments; tools that change state with arguments that cannot. */
    private Map<String, ObjectNode> toolArguments(SplittableRandom r) {
        String dep = aim.deployment();
        ObjectNode chat = NODES.objectNode().put("deployment", dep).put("max_tokens", 2);
        chat.putArray("messages").addObject().put("role", "user").put("content", "mcp " + r.nextInt(1000));
        ObjectNode explain = NODES.objectNode().put("name", dep);
        explain.putArray("messages").addObject().put("role", "user").put("content", "why " + r.nextInt(1000));
        String[] names = {"missing-" + r.nextInt(100), "missing/../" + dep, "../deployments/" + dep, dep + "?x=1",
            dep + "#x", "%2e%2e/" + dep, "a b", dep + "/../" + dep};
        return Map.ofEntries(
                Map.entry("deployments_list", NODES.objectNode()),
                Map.entry("deployment_describe", NODES.objectNode().put("name", dep)),
                Map.entry("deployment_plan", NODES.objectNode().put("sentence", "Deploy Qwen3-0.6B with vLLM on 2 replicas")),
                Map.entry("deployment_apply", NODES.objectNode().put("name", "fuzz-new-" + r.nextInt(100))
                        .put("config", "model:\n  id: Qwen/Qwen3-0.6B\nreplicas:\n  mni: 1\n").put("timeout_seconds", 1)),
                Map.entry("deployment_scale", NODES.objectNode().put("name", dep).put("replicas", 2)),
                Map.entry("deployment_delete", NODES.objectNode().put("name", names[r.nextInt(names.length)])),
                Map.entry("replica_logs", NODES.objectNode().put("name", dep).put("lines", 5)),
                Map.entry("deployment_events", NODES.objectNode().put("name", dep).put("limit", 5)),
                Map.entry("chat_completion", chat),
                Map.entry("deployment_metrics", NODES.objectNode().put("name", dep)),
                Map.entry("routing_decisions", NODES.objectNode().put("name", dep).put("limit", 3)),
                Map.entry("route_explain", explain),
                Map.entry("gpus_list", NODES.objectNode().put("min_memory_gb", 24)),
                Map.entry("nodepools_list", NODES.objectNode()),
                Map.entry("nodepool_create", NODES.objectNode().put("name", aim.pool()).put("max_nodes", 3)),
                Map.entry("nodepool_update", NODES.objectNode().put("name", aim.pool()).put("spill_over", 1.5)));
    }

    /** Which tools change state: their string arguments are not mutated into other plausible values. */
    private static final List<String> CHANGING = List.of("deployment_apply", "deployment_scale", "deployment_delete",
            "nodepool_create", "nodepool_update");

    private Draft mcp(SplittableRandom r, String kind) {
        String session = aim.mcpSessions().get(r.nextInt(aim.mcpSessions().size()));
        Draft d = new Draft("POST", "/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-11-25");
        ObjectNode msg = NODES.objectNode().put("jsonrpc", "2.0").put("id", r.nextInt(1_000_000));
        int m = r.nextInt(100);
        if (m < 50) {
            Map<String, ObjectNode> tools = toolArguments(r);
            List<String> names = new ArrayList<>(new java.util.TreeSet<>(tools.keySet()));
            String tool = names.get(r.nextInt(names.size()));
            msg.put("method", "tools/call");
            ObjectNode params = msg.putObject("params");
            params.put("name", tool);
            ObjectNode args = tools.get(tool);
            params.set("arguments", args);
            d.field("params.name", Type.STRING).field("params.arguments", Type.OBJECT);
            args.properties().forEach(e -> {
                Type type = e.getValue().isTextual() ? Type.STRING : e.getValue().isInt() ? Type.INT
                        : e.getValue().isNumber() ? Type.NUMBER : e.getValue().isArray() ? Type.ARRAY : Type.OBJECT;
                if (!CHANGING.contains(tool) || type != Type.STRING && !tool.equals("nodepool_update")) {
                    d.field("params.arguments." + e.getKey(), type);
                }
            });
            d.changesState = CHANGING.contains(tool);
        } else {
            String[][] methods = {{"tools/list", ""}, {"resources/list", ""}, {"resources/templates/list", ""},
                {"resources/read", "uri"}, {"prompts/list", ""}, {"prompts/get", "name"}, {"ping", ""},
                {"skills/list", ""}, {"skills/get", "uri"}, {"logging/setLevel", "level"}, {"completion/complete", "ref"},
                {"initialize", "protocolVersion"}, {"nope/unknown", ""}, {"tools/cal", ""}, {"notifications/initialized", ""}};
            String[] pick = methods[r.nextInt(methods.length)];
            msg.put("method", pick[0]);
            ObjectNode params = msg.putObject("params");
            switch (pick[0]) {
                case "resources/read" -> params.put("uri", r.nextBoolean() ? "hearth://deployments/" + aim.deployment()
                        : "hearth://docs/config-schema");
                case "prompts/get" -> params.put("name", "why_is_ttft_high").putObject("arguments")
                        .put("deployment", aim.deployment());
                case "skills/get" -> params.put("uri", "skill://hearth-cli/SKILL.md");
                case "logging/setLevel" -> params.put("level", "info");
                case "completion/complete" -> params.putObject("ref").put("type", "ref/prompt").put("name", "deploy_a_model");
                case "initialize" -> {
                    params.put("protocolVersion", "2025-11-25").putObject("capabilities");
                    params.putObject("clientInfo").put("name", "fuzz").put("version", "1");
                    d.header("Mcp-Session-Id", null);
                }
                case "notifications/initialized" -> msg.remove("id");
                default -> { }
            }
            if (!pick[1].isEmpty()) {
                d.field("params." + pick[1], Type.STRING);
            }
        }
        d.field("jsonrpc", Type.STRING).field("id", Type.INT).field("method", Type.STRING).field("params", Type.OBJECT);
        d.json = msg;
        if (kind.equals("json-rpc")) {
            jsonRpc(r, d, msg);
        }
        return d;
    }

    /** What only JSON-RPC has: ids of every type, batches, notifications and responses from the client. */
    private static void jsonRpc(SplittableRandom r, Draft d, ObjectNode msg) {
        switch (r.nextInt(10)) {
            case 0 -> { // a batch (removed from MCP in 2025-06-18)
                ArrayNode batch = NODES.arrayNode();
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    batch.add(msg.deepCopy().put("id", i + 1));
                }
                d.json = batch;
            }
            case 1 -> d.json = NODES.arrayNode();
            case 2 -> { // an id of another type
                String[] ids = {"null", "1.5", "{}", "[]", "true", "\"\"", "99999999999999999999999", "-1",
                    "\"" + "i".repeat(10_000) + "\""};
                msg.put("id", MARK);
                d.rawValue = ids[r.nextInt(ids.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> msg.remove("jsonrpc");
            case 4 -> msg.put("jsonrpc", r.nextBoolean() ? "1.0" : "3.0");
            case 5 -> { // a response the server never asked for
                ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0").put("id", r.nextInt(100));
                if (r.nextBoolean()) {
                    response.putObject("result");
                } else {
                    response.putObject("error").put("code", -32000).put("message", "no");
                }
                d.json = response;
            }
            case 6 -> msg.remove("method");
            case 7 -> msg.remove("id"); // a notification of a request method: no answer is due
            case 8 -> msg.put("method", "rpc.discover");
            default -> msg.set("params", NODES.arrayNode().add(1).add("two"));
        }
    }

    // ---- mutations ----------------------------------------------------------------------------------

    private void mutate(SplittableRandom r, Draft d, String kind) {
        switch (kind) {
            case "broken-json" -> brokenJson(r, d);
            case "wrong-type" -> {
                Field f = pickField(r, d);
                if (f != null) {
                    List<String> values = WRONG_VALUES.stream().filter(v -> !fits(f.type, v)).toList();
                    setRaw(d, f.path, values.get(r.nextInt(values.size())));
                } else {
                    brokenJson(r, d);
                }
            }
            case "number" -> {
                Field f = pickField(r, d, Type.INT, Type.NUMBER);
                if (f == null) {
                    f = pickField(r, d);
                }
                if (f != null) {
                    setRaw(d, f.path, NUMBERS.get(r.nextInt(NUMBERS.size())));
                } else {
                    d.path += "?limit=" + NUMBERS.get(r.nextInt(NUMBERS.size())).replace("+", "%2B");
                }
            }
            case "unknown-field" -> {
                String[] names = {"unknown_field", "__proto__", "", "constructor", "x".repeat(1_000), "\u00e9\u00e8",
                    "$where", "a.b", "Model", "MESSAGES"};
                String name = names[r.nextInt(names.length)];
                String value = WRONG_VALUES.get(r.nextInt(WRONG_VALUES.size()));
                if (d.json instanceof ObjectNode o) {
                    String parent = !d.fields.isEmpty() && r.nextBoolean() ? objectParent(d, r) : null;
                    setRaw(d, parent == null ? name : parent + "." + name, value);
                    if (parent == null && o.has(name)) {
                        brokenJson(r, d);
                    }
                } else {
                    d.path += (d.path.contains("?") ? "&" : "?") + "unknown=" + r.nextInt(10);
                }
            }
            case "huge-string" -> hugeString(r, d);
            case "deep-nesting" -> {
                int depth = r.nextBoolean() ? 10_000 : 1_000 + r.nextInt(2_000);
                String open = r.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                byte[] nested = (open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
                Field f = pickField(r, d);
                if (f == null || r.nextInt(4) == 0) {
                    d.raw = nested;
                } else {
                    setRawBytes(d, f.path, nested);
                }
            }
            case "invalid-utf8" -> {
                Field f = pickField(r, d, Type.STRING);
                boolean rawBytes = d.changesState || r.nextBoolean();
                byte[] bad = rawBytes ? BAD_UTF8.get(r.nextInt(BAD_UTF8.size()))
                        : BAD_ESCAPES.get(r.nextInt(BAD_ESCAPES.size())).getBytes(StandardCharsets.UTF_8);
                byte[] value = concat("\"ok ".getBytes(StandardCharsets.UTF_8), bad, "\"".getBytes(StandardCharsets.UTF_8));
                if (f == null) {
                    d.raw = concat(d.bytes(), bad);
                } else {
                    setRawBytes(d, f.path, value);
                }
                if (r.nextInt(5) == 0) {
                    d.header("X-Session-Id", null);
                    d.header("Content-Type", "application/json; charset=utf-8");
                }
            }
            case "content-type" -> {
                String[] types = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/json; charset=utf-16", "application/xml", "", "*/*", "application/json;;;", "garbage",
                    "application/octet-stream", "text/event-stream", null};
                d.header("Content-Type", types[r.nextInt(types.length)]);
                if (d.changesState && d.json != null && d.rawValue == null) {
                    d.raw = concat(d.bytes(), "}".getBytes(StandardCharsets.UTF_8)); // stays refused
                    d.raw = truncate(d.raw, d.raw.length / 2);
                }
            }
            case "method" -> method(r, d);
            case "header" -> header(r, d);
            case "path" -> path(r, d);
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static boolean fits(Type type, String value) {
        return switch (type) {
            case STRING -> value.startsWith("\"");
            case INT -> value.matches("-?\\d+");
            case NUMBER -> value.matches("-?[\\d.]+");
            case BOOL -> value.equals("true") || value.equals("false");
            case OBJECT -> value.startsWith("{");
            case ARRAY -> value.startsWith("[");
        };
    }

    private static Field pickField(SplittableRandom r, Draft d, Type... types) {
        List<Field> from = d.fields.stream().filter(f -> types.length == 0 || List.of(types).contains(f.type)).toList();
        if (d.json == null || !(d.json instanceof ObjectNode) || from.isEmpty() || d.rawValue != null) {
            return null;
        }
        return from.get(r.nextInt(from.size()));
    }

    private static String objectParent(Draft d, SplittableRandom r) {
        List<Field> objects = d.fields.stream().filter(f -> f.type == Type.OBJECT).toList();
        return objects.isEmpty() ? null : objects.get(r.nextInt(objects.size())).path;
    }

    private static void setRaw(Draft d, String path, String rawJson) {
        setRawBytes(d, path, rawJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts the marker at {@code path} (making the objects on the way), to be replaced by {@code value} when sent. */
    private static void setRawBytes(Draft d, String path, byte[] value) {
        if (!(d.json instanceof ObjectNode root) || d.rawValue != null) {
            d.raw = value;
            return;
        }
        String[] parts = path.split("\\.", -1);
        JsonNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = child(at, parts[i]);
            if (next == null || !next.isContainerNode()) {
                next = NODES.objectNode();
                put(at, parts[i], next);
            }
            at = next;
        }
        put(at, parts[parts.length - 1], NODES.textNode(MARK));
        d.rawValue = value;
    }

    private static JsonNode child(JsonNode n, String part) {
        return n.isArray() && part.matches("\\d+") ? n.get(Integer.parseInt(part)) : n.get(part);
    }

    private static void put(JsonNode n, String part, JsonNode value) {
        if (n instanceof ArrayNode a && part.matches("\\d+")) {
            int i = Integer.parseInt(part);
            if (i < a.size()) {
                a.set(i, value);
            } else {
                a.add(value);
            }
        } else if (n instanceof ObjectNode o) {
            o.set(part, value);
        }
    }

    private void brokenJson(SplittableRandom r, Draft d) {
        byte[] valid = d.json == null ? "{\"a\":1}".getBytes(StandardCharsets.UTF_8) : d.bytes();
        String[] garbage = {"}", ",", "xyz", "\u0000", "]", "{", "\"", ",}", " // comment", "/* */", "null"};
        d.raw = switch (r.nextInt(12)) {
            case 0, 1 -> truncate(valid, Math.max(0, r.nextInt(Math.max(1, valid.length))));
            case 2 -> concat(valid, garbage[r.nextInt(garbage.length)].getBytes(StandardCharsets.UTF_8));
            case 3 -> concat(bytes(0xEF, 0xBB, 0xBF), valid);
            case 4 -> new byte[0];
            case 5 -> "   \n\t ".getBytes(StandardCharsets.UTF_8);
            case 6 -> {
                String[] tops = {"[]", "[{}]", "\"a string\"", "42", "null", "true", "-1e309", "[" + new String(valid,
                        StandardCharsets.UTF_8) + "]"};
                yield tops[r.nextInt(tops.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> new String(valid, StandardCharsets.UTF_8).replace('"', '\'').getBytes(StandardCharsets.UTF_8);
            case 8 -> new String(valid, StandardCharsets.UTF_8).replaceFirst("}$", ",}").getBytes(StandardCharsets.UTF_8);
            case 9 -> new String(valid, StandardCharsets.UTF_8).replaceFirst(":", "::").getBytes(StandardCharsets.UTF_8);
            case 10 -> concat(valid, valid);
            default -> {
                byte[] copy = valid.clone();
                if (copy.length > 0) {
                    copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
                }
                yield d.changesState ? truncate(copy, copy.length - 1) : copy;
            }
        };
    }

    private void hugeString(SplittableRandom r, Draft d) {
        int limit = aim.maxBodyBytes();
        int[] sizes = {256 * 1024, limit - 4 * 1024, limit + 4 * 1024, 3 * limit};
        int size = sizes[r.nextInt(sizes.length)];
        Field f = pickField(r, d, Type.STRING);
        byte[] text = filler(r, size);
        if (d.json == null) {
            d.raw = text;
        } else if (f == null || d.changesState && !f.path.equals("name")) {
            setRawBytes(d, "huge_unknown", text); // an unknown field: refused, however large
        } else {
            setRawBytes(d, f.path, text);
        }
    }

    /** A JSON string of about {@code size} bytes: words, so a tokenizer has work to do. */
    private static byte[] filler(SplittableRandom r, int size) {
        StringBuilder s = new StringBuilder(size + 16).append('"');
        String[] words = {"lorem ", "ipsum ", "hearth ", "cache ", "prefix ", "token ", "\\u00e9 ", "\\n"};
        while (s.length() < size) {
            s.append(words[r.nextInt(words.length)]);
        }
        return s.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void method(SplittableRandom r, Draft d) {
        String[] methods = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "POST", "PROPFIND", "FUZZ"};
        String m = methods[r.nextInt(methods.length)];
        if (d.path.startsWith("/mcp") && (m.equals("GET") || m.equals("DELETE"))) {
            // A GET with a live session opens its event stream, a DELETE ends the session: use one that does not exist.
            d.header("Mcp-Session-Id", r.nextBoolean() ? "no-such-session" : null);
        }
        if (d.path.startsWith("/api/") && !m.equals("GET") && !m.equals("HEAD")) {
            // Another writing method on a real name could be valid: send it to a name that does not exist.
            d.path = d.path.replaceAll("/(deployments|nodepools)(/[^/?]+)?", "/$1/missing-" + r.nextInt(100));
        }
        if (m.equals(d.method)) {
            m = "PATCH";
        }
        d.method = m;
    }

    private void header(SplittableRandom r, Draft d) {
        switch (r.nextInt(9)) {
            case 0 -> d.header("X-Huge", "h".repeat(r.nextBoolean() ? 9_000 : 70_000));
            case 1 -> {
                String[] auth = {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "k".repeat(5_000), "bearer x y z",
                    "Bearer \u00e9", "Token abc", "Bearer sk-" + r.nextInt(1000), ",", "Bearer\tx"};
                d.header("Authorization", auth[r.nextInt(auth.length)]);
            }
            case 2 -> {
                String[] sessions = {"", " ", "s".repeat(7_000), "../../x", "%00", "\u00ff\u00fe", "a,b,c", "null",
                    "\t", "{\"a\":1}"};
                d.header(d.path.startsWith("/mcp") ? "Mcp-Session-Id" : "X-Session-Id",
                        sessions[r.nextInt(sessions.length)]);
            }
            case 3 -> {
                String[] parents = {"00-xyz", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01",
                    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736",
                    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", "t".repeat(4_000), "",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz-extra"};
                d.header("traceparent", parents[r.nextInt(parents.length)]);
                if (r.nextBoolean()) {
                    d.header("tracestate", "k=" + "v".repeat(r.nextInt(3_000)) + ",=,==,");
                }
            }
            case 4 -> {
                String[] ids = {"", "id with spaces", "r".repeat(3_000), "../x", "\u00e9"};
                d.header("X-Request-Id", ids[r.nextInt(ids.length)]);
            }
            case 5 -> {
                String[] cache = {"no-cache", "no-store", "max-age=-1", "max-age=99999999999999999999", ",,,", "force"};
                d.header(r.nextBoolean() ? "Cache-Control" : "x-hearth-cache", cache[r.nextInt(cache.length)]);
            }
            case 6 -> {
                String[] accept = {"text/html", "application/xml", "", "*/*", "text/event-stream", "application/json"};
                d.header("Accept", accept[r.nextInt(accept.length)]);
            }
            case 7 -> {
                String[] origins = {"http://evil.example", "null", "file://", "http://127.0.0.1.evil.example", "::::"};
                d.header("Origin", origins[r.nextInt(origins.length)]);
            }
            default -> {
                String[] protocol = {"1999-01-01", "", "x".repeat(200), "2025-03-26"};
                d.header("MCP-Protocol-Version", protocol[r.nextInt(protocol.length)]);
                d.header("Accept-Encoding", "gzip, deflate, br, zstd, " + "x".repeat(r.nextInt(100)));
            }
        }
    }

    private void path(SplittableRandom r, Draft d) {
        String base = d.path.contains("?") ? d.path.substring(0, d.path.indexOf('?')) : d.path;
        String name = "missing-" + r.nextInt(100);
        String[] odd = {base + "%00", base + "/", base.replaceFirst("/", "//"), base + "/..", base + "/%2e%2e",
            base + ";x=1", base + "?%00=%00", base + "/" + "p".repeat(r.nextBoolean() ? 3_000 : 20_000),
            base.toUpperCase(java.util.Locale.ROOT), base + "%2F", base + "/./", base + "?" + "q=1&".repeat(2_000),
            "/%2e%2e" + base, base + "%FF", base + "\u00e9".replace("\u00e9", "%C3%A9"), base + "/../../../etc/passwd"};
        d.path = odd[r.nextInt(odd.length)];
        if (d.namedPath != null && r.nextBoolean()) {
            String[] names = {name + "%00", "..%2F" + name, "%2e%2e", "..", name + "%2F..", "x".repeat(3_000),
                "%C3%A9t%C3%A9", "%FF%FE", name + "%20", "~" + name, name + ".json", "%25"};
            d.path = d.namedPath.replace("{name}", names[r.nextInt(names.length)]);
        }
        if (d.changesState && d.path.contains("/..")) {
            d.path = d.path.replace("/..", "/missing"); // "../" made valid again could reach a real name
        }
    }

    // ---- bytes --------------------------------------------------------------------------------------

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static byte[] truncate(byte[] b, int length) {
        return java.util.Arrays.copyOf(b, Math.max(0, Math.min(b.length, length)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
