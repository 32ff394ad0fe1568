package dev.hearth.platform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.PromptBlocks;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.hearth.platform.cache.CachePolicy;
import dev.hearth.platform.cache.PredictionKey;
import dev.hearth.platform.cache.SseReplay;
import dev.hearth.platform.cache.StreamTranscript;
import dev.hearth.router.cache.Coalescer;
import dev.hearth.router.cache.PredictionStore;
import dev.hearth.platform.tracing.Tracing;
import dev.hearth.platform.tracing.UpstreamCall;
import io.opentelemetry.api.trace.Span;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible inference routes: validate, key the prompt, route, forward, stream back.
 * The engine's bytes are relayed as they arrive (no buffering), so SSE chunks reach the client at
 * once; a client that leaves closes the upstream stream, which the engine takes as a cancel.
 */
final class GatewayApi {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApi.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 3;
    /** How long a request waits for a deployment scaled to zero to wake. */
    static final java.time.Duration WAKE_TIMEOUT = java.time.Duration.ofSeconds(120);

    private static final int MAX_CAPTURE = 4 * 1024 * 1024;
    private static final String DEFAULT_TENANT = "default";

    private final ReplicaGroups groups;
    private final PredictionStore cache;
    private final Coalescer coalescer = new Coalescer();
    private final LongSupplier clock;
    private final GatewayMeters meters;
    private final ApiKeys apiKeys;
    private final TenantLimits limits;
    private final SessionDirectory sessions;
    private final DecisionFeed decisions;
    private final Tracing tracing;
    private final UpstreamLimits upstreamLimits;
    private final IdleStreamWatch idle;

    GatewayApi(ReplicaGroups groups, GatewayConfig config, PredictionStore cache, LongSupplier clock, GatewayMeters meters,
               SharedState shared, Tracing tracing, IdleStreamWatch idle) {
        this.groups = groups;
        this.tracing = tracing;
        this.upstreamLimits = config.upstream();
        this.idle = idle;
        this.apiKeys = config.apiKeys();
        this.limits = shared.limits();
        this.sessions = shared.sessions();
        this.decisions = shared.decisions();
        this.cache = cache;
        this.clock = clock;
        this.meters = meters;
    }

    /** What relaying a response came to: whether it ended properly, and the bytes when captured. */
    private record Relayed(int status, boolean complete, byte[] captured) {}

    /** A parsed request body and the deployment its {@code model} names. */
    private record Parsed(JsonNode body, ReplicaGroup group) {}

    /**
     * The request's tenant. With API keys on, its key's cache namespace (the tenant's, or a share
     * group's the operator put it in) is also the cache salt sent upstream, so one tenant's prompts
     * never warm or reveal another's prefix cache (a salt the client gave is kept, inside it; so is
     * SGLang's {@code extra_key}, which SGLang appends to the salt and which could otherwise spell
     * another namespace).
     */
    private String tenant(Context ctx, JsonNode body) {
        if (apiKeys == null) {
            return DEFAULT_TENANT;
        }
        KeyHolder holder = apiKeys.holder(ctx.header("Authorization"));
        var object = (com.fasterxml.jackson.databind.node.ObjectNode) body;
        String given = body.path("cache_salt").asText("") + body.path("extra_key").asText("");
        object.remove("extra_key");
        object.put("cache_salt", holder.cacheNamespace() + (given.isEmpty() ? "" : ":" + given));
        return holder.tenant();
    }

    void chat(Context ctx) throws Exception {
        Parsed p = parse(ctx);
        JsonNode body = p.body();
        String tenant = tenant(ctx, body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid("'messages' is required and must be a non-empty array", "messages");
        }
        List<ChatMessage> parsed = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw OpenAiError.invalid("each message needs a string 'role'", "messages");
            }
            parsed.add(new ChatMessage(m.get("role").asText(), text(m.get("content"))));
        }
        RouteRequest req = p.group().prompts().chat(parsed, salt(body), sessionKey(ctx, body));
        proxy(ctx, "/v1/chat/completions", p.group(), body, req, tenant);
    }

    void completion(Context ctx) throws Exception {
        Parsed p = parse(ctx);
        JsonNode body = p.body();
        String tenant = tenant(ctx, body);
        PromptBlocks prompts = p.group().prompts();
        JsonNode prompt = body.get("prompt");
        RouteRequest req;
        if (prompt != null && prompt.isTextual()) {
            req = prompts.completion(prompt.asText(), salt(body), sessionKey(ctx, body));
        } else if (prompt != null && prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
            int[] ids = new int[prompt.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = prompt.get(i).asInt();
            }
            req = prompts.tokens(ids, salt(body), sessionKey(ctx, body));
        } else if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            req = prompts.completion(prompt.get(0).asText(), salt(body), sessionKey(ctx, body));
        } else {
            throw OpenAiError.invalid("'prompt' is required: a string, a list with one string, or a list of token ids",
                    "prompt");
        }
        proxy(ctx, "/v1/completions", p.group(), body, req, tenant);
    }

    private Parsed parse(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw OpenAiError.invalid("the body is not valid JSON: " + firstLine(e.getMessage()), null);
        }
        if (body == null || !body.isObject()) {
            throw OpenAiError.invalid("the body must be a JSON object", null);
        }
        JsonNode m = body.get("model");
        if (m != null && !m.isNull() && !m.isTextual()) {
            throw OpenAiError.invalid("'model' must be a string", "model");
        }
        ReplicaGroup group = groups.resolve(m == null || m.isNull() ? null : m.asText());
        // The engines serve the model id; a client may have named the deployment instead.
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("model", group.served().model());
        tracing.model(group.name(), group.served().model());
        return new Parsed(body, group);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonNode part : content) {
                s.append(part.path("text").asText(""));
            }
            return s.toString();
        }
        throw OpenAiError.invalid("message 'content' must be a string or a list of content parts", "messages");
    }

    private static String salt(JsonNode body) {
        JsonNode s = body.get("cache_salt");
        return s != null && s.isTextual() && !s.asText().isEmpty() ? s.asText() : null;
    }

    /** The session: X-Session-Id, else metadata.session_id, else OpenAI's {@code user}. */
    static String sessionKey(Context ctx, JsonNode body) {
        String header = ctx.header("X-Session-Id");
        if (header != null && !header.isBlank()) {
            return bounded(header.trim());
        }
        JsonNode meta = body.path("metadata").path("session_id");
        if (meta.isTextual() && !meta.asText().isBlank()) {
            return bounded(meta.asText());
        }
        JsonNode user = body.get("user");
        return user != null && user.isTextual() && !user.asText().isBlank() ? bounded(user.asText()) : null;
    }

    /** Session ids longer than this are kept as their digest. */
    static final int MAX_SESSION_KEY = 128;

    /**
     * A session id as the router keeps it (for an hour after its last use): as sent, or past
     * {@link #MAX_SESSION_KEY} characters its SHA-256, so a binding costs the same whatever length a client sends.
     */
    static String bounded(String sessionKey) {
        if (sessionKey.length() <= MAX_SESSION_KEY) {
            return sessionKey;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(sessionKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Clamps max_tokens (and max_completion_tokens) to what the context leaves after the prompt, so
     * the engine does not refuse an over-long budget; says so in {@code x-hearth-clamped}. A prompt
     * that alone fills the context is refused here, in OpenAI's words.
     */
    private static void clamp(Context ctx, com.fasterxml.jackson.databind.node.ObjectNode body, RouteRequest req,
                              int maxModelLen) {
        if (maxModelLen <= 0) {
            return;
        }
        int room = maxModelLen - req.promptTokens();
        if (room < 1) {
            throw OpenAiError.invalid("This model's maximum context length is " + maxModelLen + " tokens. However, your "
                    + "messages resulted in " + req.promptTokens() + " tokens. Please reduce the length of the messages.",
                    "messages");
        }
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            JsonNode v = body.get(field);
            if (v != null && v.isIntegralNumber() && v.asLong() > room) {
                body.put(field, room);
                ctx.header("x-hearth-clamped", field + "=" + room);
            }
        }
    }

    private void proxy(Context ctx, String path, ReplicaGroup group, JsonNode body, RouteRequest req, String tenant)
            throws Exception {
        try (TenantLimits.Permit permit = limits.acquire(tenant)) {
            proxyWithin(ctx, path, group, body, req, tenant);
        }
    }

    private void proxyWithin(Context ctx, String path, ReplicaGroup group, JsonNode body, RouteRequest req, String tenant)
            throws Exception {
        long started = System.nanoTime();
        DeploymentStats deploymentStats = group.stats();
        deploymentStats.request(clock.getAsLong());
        ctx.attribute(STARTED, started);
        try {
            proxyTimed(ctx, path, group, body, req, tenant);
        } finally {
            long took = System.nanoTime() - started;
            deploymentStats.done(took);
            meters.duration(group.name(), took);
        }
    }

    /** When the request reached the proxy, for time to first byte. */
    private static final String STARTED = "hearth.started";

    private void firstByte(Context ctx, ReplicaGroup group) {
        long took = System.nanoTime() - (long) ctx.attribute(STARTED);
        group.stats().firstByte(took);
        meters.firstToken(group.name(), took);
    }

    private void proxyTimed(Context ctx, String path, ReplicaGroup group, JsonNode body, RouteRequest req, String tenant)
            throws Exception {
        ReplicaGroup.Served served = group.served();
        clamp(ctx, (com.fasterxml.jackson.databind.node.ObjectNode) body, req, served.maxModelLen());
        boolean chat = path.endsWith("chat/completions");
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        CachePolicy policy = cache == null ? CachePolicy.BYPASS
                : CachePolicy.of(body, ctx.header("Cache-Control"), ctx.header("x-hearth-cache"));
        String key = policy == CachePolicy.BYPASS ? null : PredictionKey.of(tenant, served.model(), served.version(), body);
        boolean leader = false;
        if (policy.lookup()) {
            Optional<byte[]> hit = lookup(key);
            group.stats().cache(hit.isPresent());
            meters.predictionCache(group.name(), hit.isPresent());
            if (hit.isPresent()) {
                firstByte(ctx, group);
                answerFromCache(ctx, path, group, hit.get(), chat, stream, includeUsage);
                return;
            }
            Coalescer.Claim claim = coalescer.claim(key);
            leader = claim.leader();
            if (leader) {
                // A leader that finished between our lookup and our claim has stored its answer already.
                Optional<byte[]> late = lookup(key);
                if (late.isPresent()) {
                    coalescer.complete(key, late.get());
                    firstByte(ctx, group);
                    answerFromCache(ctx, path, group, late.get(), chat, stream, includeUsage);
                    return;
                }
            } else {
                byte[] shared = awaitLeader(claim);
                if (shared != null) {
                    answerFromCache(ctx, path, group, shared, chat, stream, includeUsage);
                    return;
                }
            }
        }
        ctx.header("x-hearth-cache", policy.missLabel());
        byte[] stored = null;
        try {
            Relayed relayed = forward(ctx, path, group, body, req, policy.store() || leader);
            if (relayed != null && relayed.status() == 200 && relayed.complete() && relayed.captured() != null) {
                stored = stream ? StreamTranscript.toResponse(relayed.captured(), chat) : validResponse(relayed.captured());
                if (stored != null && policy.store()) {
                    store(key, stored);
                    meters.predictionCacheStored(group.name(), key.length() + stored.length);
                }
            }
        } finally {
            if (leader) {
                coalescer.complete(key, stored); // waiters replay it, or go to the engine themselves
            }
        }
    }

    private Optional<byte[]> lookup(String key) {
        Span span = tracing.cacheLookup();
        try {
            return tracing.looked(span, cache.get(key));
        } catch (RuntimeException e) {
            tracing.failed(span, e);
            LOG.warn("prediction cache lookup failed, answering without it: {}", e.toString());
            return Optional.empty();
        }
    }

    private void store(String key, byte[] value) {
        try {
            cache.put(key, value);
        } catch (RuntimeException e) {
            LOG.warn("prediction cache store failed: {}", e.toString());
        }
    }

    private static byte[] awaitLeader(Coalescer.Claim claim) {
        try {
            return claim.outcome().get(120, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** A non-streaming body worth storing: JSON with at least one choice. */
    private static byte[] validResponse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.path("choices").isArray() && !n.get("choices").isEmpty() ? body : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void answerFromCache(Context ctx, String path, ReplicaGroup group, byte[] response, boolean chat,
                                 boolean stream, boolean includeUsage) throws IOException {
        ctx.header("x-hearth-cache", "hit");
        ctx.header("x-hearth-route", "prediction-cache");
        meters.request(group.name(), path, "prediction-cache", 200);
        if (stream) {
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.result(SseReplay.toStream(response, chat, includeUsage));
        } else {
            ctx.contentType("application/json");
            ctx.result(response);
        }
    }

    /** Tells the other gateways what this decision changed: a new session binding, a learned prompt. */
    private void share(ReplicaGroup group, RouteRequest req, Router.Ticket ticket, String sharedBinding) {
        String reason = ticket.decision().reason();
        if (req.sessionKey() != null && !reason.equals("session") && !reason.equals("session-overflow")
                && !ticket.replica().equals(sharedBinding)) {
            sessions.bound(group.name(), req.sessionKey(), ticket.replica(), sharedBinding != null);
        }
        if (ticket.learned()) {
            decisions.learned(group.name(), ticket.replica(), req.blockHashes());
        }
    }

    private Relayed forward(Context ctx, String path, ReplicaGroup group, JsonNode body, RouteRequest req, boolean capture)
            throws Exception {
        Router router = group.router();
        byte[] bytes = JSON.writeValueAsBytes(body);
        Set<String> failed = new HashSet<>();
        String sharedBinding = req.sessionKey() == null ? null : sessions.replicaOf(group.name(), req.sessionKey());
        if (sharedBinding != null) {
            router.adoptSession(req.sessionKey(), sharedBinding, clock.getAsLong());
        }
        boolean timedOut = false;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Span routing = tracing.routing(group.name(), attempt);
            // Replicas whose circuit is open take nothing; when that leaves none, every replica is tried
            // again rather than none (Envoy's panic routing).
            Set<String> skip = group.circuitsRefusing();
            boolean panic = false;
            Router.Ticket ticket;
            if (skip.isEmpty()) {
                ticket = router.route(req, clock.getAsLong(), failed);
            } else {
                skip.addAll(failed);
                ticket = router.route(req, clock.getAsLong(), skip);
                if (ticket == null) {
                    ticket = router.route(req, clock.getAsLong(), failed);
                    panic = ticket != null;
                }
            }
            if (ticket == null && failed.isEmpty() && group.size() == 0 && group.wake(WAKE_TIMEOUT)) {
                ticket = router.route(req, clock.getAsLong(), failed); // woken from zero replicas
            }
            tracing.routed(routing, ticket);
            if (ticket != null) {
                share(group, req, ticket, sharedBinding);
            }
            if (ticket == null && group.size() == 0) {
                meters.request(group.name(), path, "none", 503);
                throw new OpenAiError(503, "service_unavailable", "deployment " + group.name() + " has no replica ready"
                        + " (scaled to zero, or starting; with autoscaling a request waits up to " + WAKE_TIMEOUT.toSeconds()
                        + " s for one); retry shortly", null, null);
            }
            if (ticket == null) {
                meters.request(group.name(), path, "none", 503);
                throw new OpenAiError(503, "service_unavailable", "no healthy replica can take the request", null, null);
            }
            Backend backend = group.backend(ticket.replica());
            if (backend == null) { // the replica left (died, or was drained away) between routing and now
                router.finished(ticket, false);
                failed.add(ticket.replica());
                continue;
            }
            CircuitBreaker breaker = group.breaker(ticket.replica(), upstreamLimits.breaker());
            CircuitBreaker.Permit permit = panic ? breaker.bypass() : breaker.acquire();
            if (permit == null) { // another request took the half-open probe since routing
                router.finished(ticket, false);
                failed.add(ticket.replica());
                continue;
            }
            HttpResponse<InputStream> upstream;
            UpstreamCall call = tracing.upstream("POST", path, ticket.replica(), backend.client().base(), attempt, ctx::header);
            try {
                upstream = backend.client().forward(path, bytes, ctx.header("X-Request-Id"), call.headers(),
                        upstreamLimits.firstByteTimeout());
            } catch (IOException e) {
                call.failed(e);
                router.finished(ticket, false);
                failed.add(ticket.replica());
                timedOut = e instanceof HttpTimeoutException && !(e instanceof java.net.http.HttpConnectTimeoutException);
                if (timedOut) {
                    // The engine took the request and sent nothing in time: the exchange is closed (the engine
                    // sees its connection end), the breaker counts it, and another replica may answer.
                    group.timedOut();
                    LOG.warn("{} sent no first byte within {}; retrying elsewhere", ticket.replica(), seconds(
                            upstreamLimits.firstByteTimeout()));
                } else {
                    // Nothing reached the client yet: mark the replica down (the prober restores it) and try another.
                    LOG.warn("{} failed before responding ({}); retrying elsewhere", ticket.replica(), e.toString());
                    router.setHealthy(ticket.replica(), false);
                }
                opened(group, ticket.replica(), permit.failed());
                continue;
            }
            timedOut = false;
            int status = upstream.statusCode();
            call.status(status);
            if ((status == 502 || status == 503) && attempt < MAX_ATTEMPTS) {
                // Refused before the first byte: the next best replica may take it.
                LOG.info("{} answered {}; retrying elsewhere", ticket.replica(), status);
                upstream.body().close();
                call.end();
                router.finished(ticket, false);
                opened(group, ticket.replica(), permit.failed());
                failed.add(ticket.replica());
                continue;
            }
            try {
                return relay(ctx, path, group, ticket, upstream, capture, failed.size(), permit);
            } catch (IOException | RuntimeException e) {
                call.failed(e);
                throw e;
            } finally {
                call.end();
                permit.released(); // whatever relay did not report (a half-open breaker's probe never stays out)
            }
        }
        if (timedOut) {
            meters.request(group.name(), path, "fallback", 504);
            throw new OpenAiError(504, "upstream_error", "replicas " + failed + " failed before answering, the last "
                    + "sending nothing within " + seconds(upstreamLimits.firstByteTimeout()), null, "upstream_timeout");
        }
        meters.request(group.name(), path, "fallback", 502);
        throw new OpenAiError(502, "upstream_error", "replicas " + failed + " failed before answering", null, null);
    }

    /** A failure that opened the replica's breaker: counted, and said in the log. */
    private void opened(ReplicaGroup group, String replica, boolean opened) {
        if (opened) {
            group.circuitOpened();
            LOG.warn("{}: circuit opened on {} after failures; it takes no request for {}", group.name(), replica,
                    seconds(upstreamLimits.breaker().coolDown()));
        }
    }

    private static String seconds(java.time.Duration d) {
        return (d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0)) + " s";
    }

    private Relayed relay(Context ctx, String path, ReplicaGroup group, Router.Ticket ticket,
                          HttpResponse<InputStream> upstream, boolean capture, int retries, CircuitBreaker.Permit permit)
            throws IOException {
        Router router = group.router();
        Backend backend = group.backend(ticket.replica());
        ctx.status(upstream.statusCode());
        ctx.header("x-hearth-replica", ticket.replica());
        ctx.header("x-hearth-route", ticket.decision().reason() + (retries > 0 ? " retried=" + retries : ""));
        meters.request(group.name(), path, ticket.decision().reason(), upstream.statusCode());
        if (upstream.statusCode() >= 400) {
            try (InputStream in = upstream.body()) {
                ctx.json(asOpenAiError(upstream.statusCode(), in.readAllBytes()));
            } finally {
                router.finished(ticket, false);
                if (upstream.statusCode() >= 500) {
                    opened(group, ticket.replica(), permit.failed());
                } else {
                    permit.succeeded(); // the replica answered; the request was at fault
                }
            }
            return new Relayed(upstream.statusCode(), true, null);
        }
        String type = upstream.headers().firstValue("content-type").orElse("application/json");
        ctx.contentType(type);
        boolean sse = type.startsWith("text/event-stream");
        boolean chat = path.endsWith("chat/completions");
        if (chat && !sse) {
            return relayWhole(ctx, group, ticket, upstream, capture, permit);
        }
        ReasoningTokens reasoning = chat ? new ReasoningTokens() : null;
        SseSplitter events = new SseSplitter();
        boolean sawByte = false;
        java.io.ByteArrayOutputStream captured = capture ? new java.io.ByteArrayOutputStream() : null;
        UsageTap usage = new UsageTap();
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = upstream.body(); IdleStreamWatch.Watched watched = idle.watch(in)) {
            byte[] buf = new byte[8_192];
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException upstreamBroke) {
                    boolean stalled = watched.stalled();
                    String quiet = " (it sent nothing for " + seconds(idle.idle()) + ")";
                    LOG.warn("{} broke off mid-response: {}", ticket.replica(), stalled ? "sent nothing for "
                            + seconds(idle.idle()) : upstreamBroke.toString());
                    if (stalled) {
                        group.timedOut();
                        if (backend != null) {
                            backend.client().nudge(); // the closed exchange's socket goes now: the engine cancels
                        }
                    }
                    opened(group, ticket.replica(), permit.failed());
                    if (sse && sawByte) { // end the stream cleanly, as OpenAI does on a server error
                        Map<String, Object> err = new OpenAiError(502, "upstream_error", "the replica "
                                + ticket.replica() + " stopped mid-stream" + (stalled ? quiet : ""), null,
                                stalled ? "upstream_timeout" : null).body();
                        writeQuietly(out, "data: " + JSON.writeValueAsString(err) + "\n\n");
                        return new Relayed(upstream.statusCode(), false, null);
                    }
                    throw new OpenAiError(stalled ? 504 : 502, "upstream_error", "the replica " + ticket.replica()
                            + " stopped before its response was complete" + (stalled ? quiet : ""), null,
                            stalled ? "upstream_timeout" : null);
                }
                watched.alive();
                if (n < 0) {
                    if (reasoning != null) {
                        writeQuietly(out, new String(events.rest(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                    prefixCache(group, ticket, usage.usage());
                    permit.succeeded();
                    return new Relayed(upstream.statusCode(), true, captured == null ? null : captured.toByteArray());
                }
                if (!sawByte && n > 0) {
                    sawByte = true;
                    router.firstToken(ticket);
                    firstByte(ctx, group);
                }
                usage.write(buf, 0, n);
                if (captured != null) {
                    if (captured.size() + n > MAX_CAPTURE) {
                        captured = null; // too large to keep: relayed, not stored
                    } else {
                        captured.write(buf, 0, n);
                    }
                }
                try {
                    if (reasoning == null) {
                        out.write(buf, 0, n);
                    } else { // chat streams go event by event, so the usage chunk can carry reasoning tokens
                        for (String event : events.feed(buf, n)) {
                            out.write((reasoning.event(event) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                    out.flush();
                } catch (IOException clientGone) {
                    LOG.debug("client left; cancelling upstream on {}", ticket.replica());
                    in.close(); // at once: the engine sees its connection end and frees the slot
                    if (backend != null) {
                        backend.client().nudge();
                    }
                    return new Relayed(upstream.statusCode(), false, null); // closing `in` cancels upstream
                }
            }
        } finally {
            router.finished(ticket, sawByte);
            permit.released(); // the client left, or the relay failed here: the replica is not to blame
        }
    }

    /** A whole (non-streaming) chat response: read, reasoning tokens filled in, written at once. */
    private Relayed relayWhole(Context ctx, ReplicaGroup group, Router.Ticket ticket, HttpResponse<InputStream> upstream,
                               boolean capture, CircuitBreaker.Permit permit) throws IOException {
        Router router = group.router();
        byte[] body;
        InputStream in = upstream.body();
        IdleStreamWatch.Watched watched = idle.watch(in);
        try (in; watched) {
            body = in.readAllBytes();
            router.firstToken(ticket);
            firstByte(ctx, group);
        } catch (IOException e) {
            router.finished(ticket, false);
            if (watched.stalled()) {
                group.timedOut();
            }
            opened(group, ticket.replica(), permit.failed());
            throw new OpenAiError(watched.stalled() ? 504 : 502, "upstream_error", "the replica " + ticket.replica()
                    + " stopped before its response was complete" + (watched.stalled() ? " (it sent nothing for "
                    + seconds(idle.idle()) + ")" : ""), null, watched.stalled() ? "upstream_timeout" : null);
        }
        router.finished(ticket, true);
        permit.succeeded();
        UsageTap usage = new UsageTap();
        usage.write(body, 0, body.length);
        prefixCache(group, ticket, usage.usage());
        byte[] answer = ReasoningTokens.complete(body, group.prompts()::countTokens);
        ctx.result(answer);
        return new Relayed(upstream.statusCode(), true, capture ? answer : null);
    }

    /** The router's expected prefix-cache hit for a request against what its engine reported, when it did. */
    private void prefixCache(ReplicaGroup group, Router.Ticket ticket, UsageTap.Usage reported) {
        if (reported != null) {
            long cachedBlocks = ticket.blocks() - ticket.uncachedBlocks();
            int estimated = (int) Math.min(reported.promptTokens(), cachedBlocks * group.prompts().blockSize());
            meters.prefixCache(group.name(), reported.promptTokens(), estimated, reported.cachedTokens());
        }
    }

    private static void writeQuietly(OutputStream out, String s) {
        try {
            out.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone too
        }
    }

    /** An engine's error body in OpenAI's shape: vLLM nests it already, SGLang's is flat. */
    static Object asOpenAiError(int status, byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.path("error").isObject()) {
                return n;
            }
            String message = n != null && n.path("message").isTextual() ? n.get("message").asText()
                    : n != null && n.path("detail").isTextual() ? n.get("detail").asText() : "the engine answered " + status;
            return new OpenAiError(status, status >= 500 ? "server_error" : "invalid_request_error", message,
                    n == null || !n.path("param").isTextual() ? null : n.get("param").asText(), null).body();
        } catch (IOException e) {
            return new OpenAiError(status, status >= 500 ? "server_error" : "invalid_request_error",
                    "the engine answered " + status, null, null).body();
        }
    }
}
