package dev.hearth.platform.gateway;

import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.router.Router;
import dev.hearth.router.cache.PredictionStore;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A gateway over simulated replicas, all on loopback with real HTTP in between: replica i is
 * {@code replica-i}, started from {@code settings.apply(i)}; each joins the router with its KV
 * capacity and, when it publishes KV events, the gateway subscribes to them.
 */
final class GatewayFixture implements AutoCloseable {
    final List<SimServer> sims = new ArrayList<>();
    final Gateway gateway;

    GatewayFixture(int replicas, IntFunction<SimSettings> settings, GatewayConfig config, PredictionStore store) {
        Router router = Router.withDefaults();
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            SimServer sim = SimServer.start(settings.apply(i));
            sims.add(sim);
            router.addReplica("replica-" + i, sim.settings().limits().kvBlocks());
            backends.add(new Backend("replica-" + i, new EngineClient(URI.create("http://127.0.0.1:" + sim.port()),
                    Duration.ofSeconds(2), Duration.ofSeconds(2)), sim.kvEventsEndpoint()));
        }
        gateway = Gateway.overReplicas(config, router, backends, new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16),
                store, System::currentTimeMillis).start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    @Override
    public void close() {
        gateway.close();
        sims.forEach(SimServer::close);
    }
}
