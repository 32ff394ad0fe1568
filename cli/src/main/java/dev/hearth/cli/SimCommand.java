package dev.hearth.cli;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profile;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.kv.KvEventPublisher;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth sim}: one simulated vLLM or SGLang engine on a loopback port. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run an engine simulator that speaks vLLM's or SGLang's HTTP API, metrics and KV events.")
public final class SimCommand implements Callable<Integer> {
    /** The line a parent process reads to learn the port; keep its shape. */
    static final String READY = "hearth-sim ready on http://%s:%d";

    @Option(names = "--port", description = "Port to listen on; 0 picks a free one (default: 8000 for vllm, 30000 for sglang).")
    Integer port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--flavor", defaultValue = "vllm", description = "Engine to imitate: vllm or sglang (default: ${DEFAULT-VALUE}).")
    String flavor;

    @Option(names = "--model", defaultValue = "Qwen/Qwen3-0.6B", description = "Served model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--profile", description = "Performance profile: h100-llama3-8b or h100-qwen3-0.6b (default: by model name).")
    String profile;

    @Option(names = "--max-model-len", description = "Context length in tokens (default: the profile's).")
    Integer maxModelLen;

    @Option(names = "--kv-blocks", description = "KV cache blocks (default: the profile's H100 capacity).")
    Integer kvBlocks;

    @Option(names = "--block-size", description = "Tokens per KV block (default: 16 for vllm, 1 for sglang).")
    Integer blockSize;

    @Option(names = "--max-num-seqs", description = "Most requests in a batch (default: the profile's).")
    Integer maxNumSeqs;

    @Option(names = "--max-num-batched-tokens", description = "Token budget of one step (default: the profile's).")
    Integer maxNumBatchedTokens;

    @Option(names = "--kv-events", paramLabel = "ENDPOINT",
            description = "Publish KV events over ZeroMQ; binds when the endpoint has a wildcard (tcp://*:5557; tcp://127.0.0.1:* binds a free port), connects otherwise.")
    String kvEvents;

    @Option(names = "--kv-events-config", paramLabel = "JSON", description = "vLLM's KV events config as JSON.")
    String kvEventsConfig;

    @Option(names = "--time-scale", defaultValue = "1.0",
            description = "Simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--reasoning-parser", paramLabel = "NAME",
            description = "Treat the model as a reasoning model and return its thinking as reasoning_content.")
    String reasoningParser;

    @Option(names = "--log-level", defaultValue = "info", description = "info or debug; debug logs one line per request.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
        SimServer server = SimServer.start(settings());
        SimSettings s = server.settings();
        System.out.printf(READY + " (%s, model %s, profile %s, %d KV blocks of %d tokens, max-model-len %d, time scale %s%s)%n",
                s.host(), server.port(), s.flavor().wireName(), s.model(), s.profile().name(), s.limits().kvBlocks(),
                s.limits().blockSize(), s.limits().maxModelLen(), s.timeScale(),
                s.kvEvents() == null ? "" : ", KV events on " + server.kvEventsEndpoint());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    SimSettings settings() {
        Flavor f = Flavor.parse(flavor);
        Profile p = profile == null ? Profiles.forModel(model) : Profiles.named(profile).orElseThrow(() ->
                new IllegalArgumentException("--profile must be one of "
                        + Profiles.ALL.stream().map(Profile::name).toList() + ", was '" + profile + "'"));
        EngineLimits limits = new EngineLimits(
                blockSize != null ? blockSize : f.defaultBlockSize(),
                kvBlocks != null ? kvBlocks : p.kvBlocks() * 16 / (blockSize != null ? blockSize : f.defaultBlockSize()),
                maxModelLen != null ? maxModelLen : p.maxModelLen(),
                maxNumSeqs != null ? maxNumSeqs : p.maxNumSeqs(),
                maxNumBatchedTokens != null ? maxNumBatchedTokens : p.maxNumBatchedTokens());
        if (kvEvents != null && kvEventsConfig != null) {
            throw new IllegalArgumentException("give --kv-events or --kv-events-config, not both");
        }
        KvEventPublisher.Config events = kvEvents != null ? KvEventPublisher.Config.of(kvEvents)
                : kvEventsConfig != null ? KvEventPublisher.Config.fromJson(kvEventsConfig) : null;
        int listen = port != null ? port : f == Flavor.VLLM ? 8000 : 30000;
        return new SimSettings(host, listen, f, model, p, limits, timeScale, events, reasoningParser);
    }
}
