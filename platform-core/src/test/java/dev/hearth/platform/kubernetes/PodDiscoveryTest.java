package dev.hearth.platform.kubernetes;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.kv.KvEventPublisher;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.platform.gateway.Gateway;
import dev.hearth.platform.gateway.GatewayConfig;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.router.Router;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod discovery against fabric8's mock API server in CRUD mode (a real HTTP API server on
 * loopback, with watches), the pods' targets being real engine simulators on loopback: the test
 * plays the kubelet, writing each pod's IP (127.0.0.1) and Ready condition, and the gateway routes
 * to the pods as they come and go. No live cluster ran here.
 */
@EnableKubernetesMockClient(crud = true)
class PodDiscoveryTest {
    static KubernetesClient client;
    private static final String NS = "engines";
    private static final Map<String, String> ENGINE = Map.of("app.kubernetes.io/name", "hearth-engine",
            PodDiscovery.DEPLOYMENT_LABEL, "qwen");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SimServer> sims = new ArrayList<>();
    private final ReplicaGroups groups = new ReplicaGroups();
    private Gateway gateway;
    private PodDiscovery discovery;

    @BeforeEach
    void setUp() {
        client.pods().inNamespace(NS).delete();
        for (int i = 0; i < 3; i++) {
            sims.add(SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "Qwen/Qwen3-0.6B", Profiles.H100_QWEN3_0_6B,
                    new EngineLimits(16, 5_000, 8_192, 64, 8_192), 200, KvEventPublisher.Config.of("tcp://127.0.0.1:*"), null)));
        }
        gateway = new Gateway(GatewayConfig.open("127.0.0.1", 0, "Qwen/Qwen3-0.6B", "v1", 8_192, Duration.ofMillis(200)),
                groups, null, System::currentTimeMillis, List.of()).start();
        discovery = PodDiscovery.start(client, new PodDiscovery.Settings(NS, PodSelector.parse("app.kubernetes.io/name=hearth-engine"),
                8000, 5557), groups, (name, served) -> new ReplicaGroup(name, new ReplicaGroup.Served(served.id(), served.id(),
                served.maxModelLen()), Router.withDefaults(), new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16),
                System::currentTimeMillis));
    }

    @AfterEach
    void tearDown() {
        discovery.close();
        gateway.close();
        sims.forEach(SimServer::close);
    }

    /** A pod as its Deployment would make it, its container ports naming the simulator's. */
    private Pod create(String name, Map<String, String> labels, SimServer sim) {
        int kv = Integer.parseInt(sim.kvEventsEndpoint().substring(sim.kvEventsEndpoint().lastIndexOf(':') + 1));
        return client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().withNewSpec().addNewContainer().withName("vllm").withImage("vllm/vllm-openai:v0.11.0")
                .addNewPort().withName("http").withContainerPort(sim.port()).endPort()
                .addNewPort().withName("kv-events").withContainerPort(kv).endPort()
                .endContainer().endSpec().build()).create();
    }

    /** What the kubelet reports: running at 127.0.0.1, ready or not. */
    private void status(String name, boolean ready) {
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().build());
        client.pods().inNamespace(NS).resource(pod).updateStatus();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    private Set<String> routed() {
        ReplicaGroup g = groups.get("qwen");
        Set<String> ids = new HashSet<>();
        if (g != null) {
            g.replicas().forEach(r -> ids.add(r.id()));
        }
        return ids;
    }

    private HttpResponse<String> chat(String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":4}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyPodsJoinAndPodsThatStopBeingReadyOrAreDeletedLeave() throws Exception {
        create("qwen-a", ENGINE, sims.get(0));
        create("qwen-b", ENGINE, sims.get(1));
        create("qwen-c", ENGINE, sims.get(2));
        create("other", Map.of("app.kubernetes.io/name", "something-else"), sims.get(2));
        status("qwen-a", true);
        status("qwen-b", true);
        status("qwen-c", false);
        status("other", true);
        await("the two ready pods are routed to", () -> routed().equals(Set.of("qwen-a", "qwen-b")));
        ReplicaGroup group = groups.get("qwen");
        assertEquals("Qwen/Qwen3-0.6B", group.served().model(), "read from the engine's /v1/models");
        assertEquals("tcp://127.0.0.1:" + sims.get(0).kvEventsEndpoint().substring(sims.get(0).kvEventsEndpoint()
                .lastIndexOf(':') + 1), group.backend("qwen-a").kvEvents(), "KV events at the pod's kv-events port");
        assertEquals(URI.create("http://127.0.0.1:" + sims.get(1).port()), discovery.members().get("qwen-b"));
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = chat("question number " + i + " about rivers and stones");
            assertEquals(200, r.statusCode(), r.body());
            servedBy.add(r.headers().firstValue("x-hearth-replica").orElseThrow());
        }
        assertTrue(Set.of("qwen-a", "qwen-b").containsAll(servedBy), "only ready pods serve: " + servedBy);

        status("qwen-c", true);
        await("a pod that becomes ready joins", () -> routed().contains("qwen-c"));
        status("qwen-a", false);
        await("a pod no longer ready leaves", () -> !routed().contains("qwen-a"));
        client.pods().inNamespace(NS).withName("qwen-b").delete();
        await("a deleted pod leaves", () -> routed().equals(Set.of("qwen-c")));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = chat("another question " + i);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("qwen-c", r.headers().firstValue("x-hearth-replica").orElseThrow());
        }
        status("qwen-a", true);
        await("a pod ready again joins again", () -> routed().equals(Set.of("qwen-a", "qwen-c")));
        assertFalse(discovery.members().containsKey("other"), "the selector keeps other pods out");
    }

    @Test
    void aPodThatStopsBeingReadyDrainsItsRequestsBeforeLeaving() throws Exception {
        create("qwen-a", ENGINE, sims.get(0));
        status("qwen-a", true);
        await("the pod is routed to", () -> routed().equals(Set.of("qwen-a")));
        HttpResponse<String> slow = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sims.get(0).port()
                + "/_sim/faults")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"latency_ms\":1500}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, slow.statusCode(), slow.body());
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return chat("a slow question");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the request is in flight", () -> groups.get("qwen").inFlight("qwen-a") == 1);
        status("qwen-a", false);
        Thread.sleep(500);
        assertTrue(routed().contains("qwen-a"), "a draining pod stays while its request runs");
        assertEquals(1, groups.get("qwen").inFlight("qwen-a"));
        HttpResponse<String> done = inFlight.get();
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("qwen-a", done.headers().firstValue("x-hearth-replica").orElseThrow());
        await("the drained pod leaves", () -> routed().isEmpty());
        assertEquals(503, chat("nobody is ready").statusCode(), "no ready pod: nothing to route to");
    }
}
