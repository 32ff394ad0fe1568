package dev.hearth.enginesim.server;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.EngineLoop;
import dev.hearth.enginesim.engine.EngineStats;
import dev.hearth.enginesim.kv.KvEventPublisher;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.SimTokenizer;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running engine simulator: the HTTP API of its flavor over one {@link EngineLoop}, optionally
 * publishing KV events. Routes are those of vLLM's OpenAI server and SGLang's http_server; the
 * admin routes {@code /_sim/faults} and {@code /_sim/traces} (the trace headers of the last
 * inference requests, see {@link TraceHeaders}) answer on loopback only and belong to the simulator alone.
 */
public final class SimServer implements AutoCloseable {
    /** Connections the kernel may hold for Jetty to accept (the listen backlog, capped by somaxconn). */
    static final int ACCEPT_QUEUE = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(SimServer.class);

    private final SimSettings settings;
    private final EngineLoop loop;
    private final KvEventPublisher publisher;
    private final Faults faults = new Faults();
    private final TraceHeaders traces = new TraceHeaders();
    private final Javalin app;

    private SimServer(SimSettings settings) {
        this.settings = settings;
        SimTokenizer tokenizer = new SimTokenizer();
        boolean sglang = settings.flavor() == Flavor.SGLANG;
        EngineStats stats = sglang
                ? new EngineStats(EngineStats.SGLANG_TTFT_BUCKETS, EngineStats.SGLANG_E2E_BUCKETS)
                : new EngineStats();
        this.publisher = settings.kvEvents() == null ? null : new KvEventPublisher(settings.kvEvents());
        EngineCore core = new EngineCore(settings.profile(), settings.limits(), settings.reasoningParser() != null,
                tokenizer, publisher != null, stats);
        this.loop = new EngineLoop(core, settings.timeScale(), publisher == null ? events -> { } : events -> {
            if (faults.kvEvents()) {
                publisher.accept(events);
            }
        });
        ServedModel model = new ServedModel(settings.model(), settings.flavor(), settings.limits().maxModelLen(),
                settings.reasoningParser() != null, tokenizer, new ChatTemplate(), loop, faults, new AtomicLong());
        OpenAiApi openai = new OpenAiApi(model);
        SglangApi native_ = new SglangApi(model, settings);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = 32L * 1024 * 1024;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            // Jetty's default accept queue is the JDK's 50: a burst of new connections overflows it and
            // the kernel drops them. uvicorn, vLLM's and SGLang's server, listens with a backlog of 2048.
            config.jetty.addConnector((server, http) -> {
                var connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            var r = config.routes;
            r.post("/v1/chat/completions", traced(openai::chat));
            r.post("/v1/completions", traced(openai::completion));
            r.get("/v1/models", openai::models);
            r.get("/health", this::health);
            r.get("/metrics", ctx -> ctx.contentType(PrometheusText.CONTENT_TYPE)
                    .result(PrometheusText.render(settings.flavor(), settings.model(), loop)));
            if (sglang) {
                r.post("/generate", traced(native_::generate));
                r.get("/get_server_info", native_::serverInfo);
                r.get("/server_info", native_::serverInfo);
                r.get("/get_model_info", native_::modelInfo);
                r.get("/model_info", native_::modelInfo);
                r.get("/flush_cache", native_::flushCache);
                r.post("/flush_cache", native_::flushCache);
                r.get("/health_generate", this::health);
                r.post("/tokenize", openai::tokenize);
                r.post("/v1/tokenize", openai::tokenize);
                r.post("/detokenize", openai::detokenize);
                r.post("/v1/detokenize", openai::detokenize);
            } else {
                r.post("/tokenize", openai::tokenize);
                r.post("/detokenize", openai::detokenize);
                r.get("/ping", this::health);
                r.post("/ping", this::health);
                r.get("/version", ctx -> ctx.json(Map.of("version", "hearth-sim")));
            }
            r.get("/_sim/faults", loopbackOnly(ctx -> ctx.json(faults.snapshot())));
            r.post("/_sim/faults", loopbackOnly(this::setFaults));
            r.delete("/_sim/faults", loopbackOnly(ctx -> {
                faults.clear();
                ctx.json(faults.snapshot());
            }));
            r.get("/_sim/traces", loopbackOnly(ctx -> ctx.json(traces.snapshot())));
            r.delete("/_sim/traces", loopbackOnly(ctx -> {
                traces.clear();
                ctx.json(traces.snapshot());
            }));
            r.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(settings.flavor().errorBody(e)));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("request failed", e);
                ApiError err = new ApiError(500, "InternalServerError", "Internal server error: " + e, null);
                ctx.status(500).json(settings.flavor().errorBody(err));
            });
            r.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) { // not our own 404 (unknown model)
                    ctx.json(Map.of("detail", "Not Found")); // FastAPI's answer for an unknown route
                }
            });
            r.error(405, ctx -> ctx.json(Map.of("detail", "Method Not Allowed")));
        });
    }

    /** Starts a simulator; throws with a clear message when the port is taken or settings are wrong. */
    public static SimServer start(SimSettings settings) {
        SimServer server = new SimServer(settings);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + rootMessage(e), e);
        }
        return server;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public int port() {
        return app.port();
    }

    public SimSettings settings() {
        return settings;
    }

    public EngineLoop loop() {
        return loop;
    }

    /** Where KV events are published (a wildcard port resolved), or null when they are off. */
    public String kvEventsEndpoint() {
        return publisher == null ? null : publisher.endpoint();
    }

    /** Where the KV events replay socket answers, or null when there is none. */
    public String kvReplayEndpoint() {
        return publisher == null ? null : publisher.replayEndpoint();
    }

    /** KV event batches published so far; 0 when events are off. */
    public long kvBatchesSent() {
        return publisher == null ? 0 : publisher.sent();
    }

    private void health(Context ctx) {
        ctx.status(faults.unhealthy() ? 503 : 200).result("");
    }

    @SuppressWarnings("unchecked")
    private void setFaults(Context ctx) throws Exception {
        OpenAiApi.body(ctx); // validates the content type and that the body is a JSON object
        faults.apply(OpenAiApi.JSON.convertValue(OpenAiApi.JSON.readTree(ctx.body()), Map.class));
        ctx.json(faults.snapshot());
    }

    /** The trace headers an inference request arrived with, kept before it is served. */
    public TraceHeaders traces() {
        return traces;
    }

    private Handler traced(Handler h) {
        return ctx -> {
            traces.record(ctx.path(), ctx::header);
            h.handle(ctx);
        };
    }

    private static Handler loopbackOnly(Handler h) {
        return ctx -> {
            if (!isLoopback(ctx.req().getRemoteAddr())) {
                throw new ApiError(403, "PermissionDenied", "the simulator's admin routes answer on loopback only", null);
            }
            h.handle(ctx);
        };
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        app.stop();
        loop.close();
        if (publisher != null) {
            publisher.close();
        }
    }
}
