package dev.hearth.platform.kubernetes;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.platform.replicas.LaunchSpec;
import dev.hearth.platform.replicas.SglangCommand;
import dev.hearth.platform.replicas.VllmCommand;
import dev.hearth.warmpools.NodePool;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hearth's Helm chart rendered by Helm (through helm-java) with its defaults and with other values,
 * every document parsed by fabric8 into its typed class, and the objects checked against each other
 * and against the code that drives them: selectors and pod labels, Services' target ports, priority
 * classes (KubernetesProvider's), the gateway's Redis URL and discovery flags, the engines' command
 * lines (VllmCommand's and SglangCommand's) with their KV events, and RBAC rules against the API
 * calls KubernetesProvider and PodDiscovery really make (recorded by fabric8's mock API server).
 * No live cluster ran here: these checks are what stands for one.
 */
@EnableKubernetesMockClient(crud = true)
class ChartTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HelmChart CHART = new HelmChart(ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One way to install the chart: a release, a namespace, a values file over the defaults. */
    record Variation(String name, String release, String namespace, String values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variation> variations() {
        return Stream.of(
                new Variation("defaults", "hearth", "hearth", null),
                new Variation("sglang", "hearth", "hearth", """
                        engines:
                          - name: qwen3-0-6b
                            engine: sglang
                            model: Qwen/Qwen3-0.6B
                        """),
                new Variation("several engines, other release, ports and namespace", "prod", "llm", """
                        gateway: {replicas: 3, port: 9090, warmPools: false, policy: least-load, extraArgs: [--cache-bytes, "0"]}
                        redis: {port: 6380}
                        priorityClasses: {create: false}
                        engine: {port: 9000, kvEventsPort: 6000}
                        engines:
                          - name: llama-8b
                            engine: vllm
                            model: meta-llama/Llama-3.1-8B-Instruct
                            revision: 0e9e39f
                            replicas: 3
                            gpus: 2
                            maxModelLen: 8192
                            nodepool: gpu
                            hfTokenSecret: hf-token
                            extraArgs: [--max-num-seqs, "128"]
                          - name: qwen3-8b
                            engine: sglang
                            model: Qwen/Qwen3-8B
                            replicas: 0
                            gpus: 1
                            maxModelLen: 32768
                        """));
    }

    /** Every API call KubernetesProvider, ReplicaPods and PodDiscovery make, as RBAC sees them. */
    private static Set<ApiCall> calls;

    @BeforeAll
    static void recordApiCalls() throws Exception {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // what the extension itself asked before us
        }
        String ns = "recorded";
        KubernetesProvider provider = new KubernetesProvider(client, ns);
        provider.ensurePriorityClasses();
        NodePool pool = new NodePool("gpu", "kubernetes", "g6e.xlarge", "L40S", 1, 0, 4, 0, 1, 0.8);
        provider.provision(pool, "gpu-n0", 0);
        provider.status(pool, "gpu-n0", 0);
        provider.allocate(pool, "gpu-n0", "r0");
        provider.hold(pool, "gpu-n0");
        provider.terminate(pool, "gpu-n0");
        var config = ConfigLoader.parse("c", "model: {id: Qwen/Qwen3-8B}\nengine: {launcher: kubernetes}\n");
        var pod = ReplicaPods.pod(new VllmCommand(List.of("vllm", "serve")), new LaunchSpec("r0", config, "0.0.0.0", 8000, 5557),
                pool, ns);
        client.pods().inNamespace(ns).resource(pod).create();
        client.pods().inNamespace(ns).withName("r0").delete();
        try (PodDiscovery d = PodDiscovery.start(client, new PodDiscovery.Settings(ns,
                PodSelector.parse("app.kubernetes.io/name=hearth-engine"), 8000, 5557), new ReplicaGroups(), (n, s) -> {
                    throw new AssertionError("no pod is ready here");
                })) {
            Thread.sleep(300); // the watch follows the list
        }
        calls = new LinkedHashSet<>();
        for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
            calls.add(ApiCall.of(r.getMethod(), r.getPath()));
        }
        assertTrue(calls.contains(new ApiCall("", "pods", "watch", true)), "PodDiscovery watches pods: " + calls);
        assertTrue(calls.contains(new ApiCall("scheduling.k8s.io", "priorityclasses", "create", false)), calls.toString());
    }

    private List<HasMetadata> render(Variation v, Path dir) throws Exception {
        Path values = null;
        if (v.values() != null) {
            values = dir.resolve("values.yaml");
            Files.writeString(values, v.values());
        }
        return HelmChart.objects(CHART.render(v.release(), v.namespace(), values));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void everyDocumentParsesToItsTypedClass(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        Map<String, Class<?>> typed = Map.of("Deployment", Deployment.class, "Service", Service.class, "ServiceAccount",
                ServiceAccount.class, "Role", Role.class, "RoleBinding", RoleBinding.class, "ClusterRole", ClusterRole.class,
                "ClusterRoleBinding", ClusterRoleBinding.class, "PriorityClass", PriorityClass.class);
        assertFalse(objects.isEmpty());
        for (HasMetadata o : objects) {
            assertTrue(typed.containsKey(o.getKind()), "an unexpected kind: " + o.getKind());
            assertInstanceOf(typed.get(o.getKind()), o, o.getKind() + " " + o.getMetadata().getName() + " parsed untyped");
            boolean clusterScoped = o instanceof ClusterRole || o instanceof ClusterRoleBinding || o instanceof PriorityClass;
            assertEquals(clusterScoped ? null : v.namespace(), o.getMetadata().getNamespace(), o.getMetadata().getName());
        }
        Set<String> names = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            assertTrue(names.add(o.getKind() + "/" + o.getMetadata().getName()), "twice: " + o.getMetadata().getName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void selectorsPickTheirPodsAndServicesTargetDeclaredPorts(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        List<Deployment> deployments = of(objects, Deployment.class);
        for (Deployment d : deployments) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            Map<String, String> wanted = d.getSpec().getSelector().getMatchLabels();
            assertFalse(wanted.isEmpty(), d.getMetadata().getName() + " selects nothing");
            assertNull(d.getSpec().getSelector().getMatchExpressions().isEmpty() ? null : "expressions",
                    d.getMetadata().getName() + ": selector expressions are not checked here");
            assertTrue(labels.entrySet().containsAll(wanted.entrySet()),
                    d.getMetadata().getName() + "'s selector " + wanted + " does not match its pods' labels " + labels);
            for (Deployment other : deployments) {
                if (other != d) {
                    assertFalse(other.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(wanted.entrySet()),
                            d.getMetadata().getName() + "'s selector also picks " + other.getMetadata().getName() + "'s pods");
                }
            }
        }
        List<Service> services = of(objects, Service.class);
        assertFalse(services.isEmpty());
        for (Service s : services) {
            Map<String, String> selector = s.getSpec().getSelector();
            List<Deployment> picked = deployments.stream().filter(d -> d.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, picked.size(), "Service " + s.getMetadata().getName() + " selects " + selector + ": " + picked.size()
                    + " Deployments' pods");
            List<ContainerPort> ports = containerPorts(picked.get(0).getSpec().getTemplate());
            for (ServicePort p : s.getSpec().getPorts()) {
                var target = p.getTargetPort();
                boolean declared = target.getStrVal() != null
                        ? ports.stream().anyMatch(c -> target.getStrVal().equals(c.getName()))
                        : ports.stream().anyMatch(c -> c.getContainerPort().equals(target.getIntVal()));
                assertTrue(declared, "Service " + s.getMetadata().getName() + " targets port " + target
                        + ", which its pods do not declare: " + ports);
            }
        }
        Service gateway = named(services, "-gateway");
        assertEquals(List.of("http"), gateway.getSpec().getPorts().stream().map(ServicePort::getName).toList());
        assertEquals(8080, gateway.getSpec().getPorts().get(0).getPort());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void podsRunAtHearthsPriorityClasses(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        Map<String, PriorityClass> code = new LinkedHashMap<>();
        KubernetesProvider.priorityClasses().forEach(p -> code.put(p.getMetadata().getName(), p));
        List<PriorityClass> chart = of(objects, PriorityClass.class);
        for (PriorityClass p : chart) {
            PriorityClass same = code.get(p.getMetadata().getName());
            assertNotNull(same, "the chart defines " + p.getMetadata().getName() + ", which KubernetesProvider does not use");
            assertEquals(same.getValue(), p.getValue(), p.getMetadata().getName());
            assertEquals(same.getPreemptionPolicy(), p.getPreemptionPolicy(), p.getMetadata().getName());
            assertEquals(same.getGlobalDefault(), p.getGlobalDefault(), p.getMetadata().getName());
            assertEquals(same.getDescription(), p.getDescription(), p.getMetadata().getName());
        }
        if (v.values() == null) {
            assertEquals(code.keySet(), names(chart), "by default the chart creates both classes");
        }
        Set<String> known = new LinkedHashSet<>(code.keySet());
        known.addAll(names(chart));
        for (Deployment d : of(objects, Deployment.class)) {
            String pc = d.getSpec().getTemplate().getSpec().getPriorityClassName();
            assertTrue(pc == null || known.contains(pc), d.getMetadata().getName() + " runs at priority class " + pc
                    + ", which neither the chart nor KubernetesProvider defines");
        }
        for (Deployment e : engines(objects)) {
            assertEquals(KubernetesProvider.REPLICA_CLASS, e.getSpec().getTemplate().getSpec().getPriorityClassName(),
                    "engine replicas preempt warm-node placeholders");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void theGatewayReachesRedisAndDiscoversTheEnginePods(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        Deployment gateway = named(of(objects, Deployment.class), "-gateway");
        List<String> args = container(gateway).getArgs();
        assertEquals("serve", args.get(0));
        URI redis = URI.create(flag(args, "--redis"));
        assertEquals("redis", redis.getScheme());
        Service redisService = of(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals(redis.getHost()))
                .findFirst().orElseThrow(() -> new AssertionError("--redis " + redis + " names no Service"));
        assertTrue(redisService.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == redis.getPort()),
                "--redis " + redis + ": the Service has no such port");
        Deployment redisPods = of(objects, Deployment.class).stream().filter(d -> d.getSpec().getTemplate().getMetadata()
                .getLabels().entrySet().containsAll(redisService.getSpec().getSelector().entrySet())).findFirst().orElseThrow();
        assertTrue(container(redisPods).getImage().startsWith("redis:"), "the --redis Service must pick the Redis pods");

        PodSelector selector = PodSelector.parse(flag(args, "--discover-pods"));
        List<Deployment> engines = engines(objects);
        assertEquals(v.values() != null && v.values().contains("llama") ? 2 : 1, engines.size());
        for (Deployment d : of(objects, Deployment.class)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertEquals(engines.contains(d), selector.matches(labels), "--discover-pods " + selector + " and the pods of "
                    + d.getMetadata().getName() + " " + labels);
        }
        assertEquals(v.namespace(), flag(args, "--discover-namespace"));
        for (Deployment e : engines) {
            List<ContainerPort> ports = containerPorts(e.getSpec().getTemplate());
            assertEquals(port(ports, PodDiscovery.HTTP_PORT), Integer.parseInt(flag(args, "--engine-port")));
            assertEquals(port(ports, PodDiscovery.KV_EVENTS_PORT), Integer.parseInt(flag(args, "--kv-events-port")));
        }
        assertEquals(port(containerPorts(gateway.getSpec().getTemplate()), "http"), Integer.parseInt(flag(args, "--port")));
        assertEquals("0.0.0.0", flag(args, "--host"), "other pods reach the gateway");
        // The other gateways relay control calls to the pod's own address, on the port it listens on.
        assertEquals("http://$(POD_IP):" + flag(args, "--port"), flag(args, "--advertise-url"));
        assertEquals("status.podIP", container(gateway).getEnv().stream().filter(e -> e.getName().equals("POD_IP"))
                .findFirst().orElseThrow(() -> new AssertionError("POD_IP is not set for --advertise-url"))
                .getValueFrom().getFieldRef().getFieldPath());
        assertEquals(v.values() == null || !v.values().contains("warmPools: false"), args.contains("--kubernetes-namespace"));
        if (args.contains("--kubernetes-namespace")) {
            assertEquals(v.namespace(), flag(args, "--kubernetes-namespace"));
        }
        assertEquals(v.values() != null && v.values().contains("replicas: 3, port") ? 3 : 2, gateway.getSpec().getReplicas());
        assertEquals("/health", container(gateway).getReadinessProbe().getHttpGet().getPath());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void enginesRunTheCommandLinesHearthBuildsWithKvEvents(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        for (Deployment e : engines(objects)) {
            Map<String, String> labels = e.getSpec().getTemplate().getMetadata().getLabels();
            Container c = container(e);
            List<ContainerPort> ports = containerPorts(e.getSpec().getTemplate());
            int http = port(ports, PodDiscovery.HTTP_PORT);
            int kv = port(ports, PodDiscovery.KV_EVENTS_PORT);
            List<String> argv = new ArrayList<>(c.getCommand());
            argv.addAll(c.getArgs());
            String engine = labels.get("hearth.dev/engine");
            String model = argv.get(argv.indexOf("--served-model-name") + 1);
            String kvConfig = argv.get(argv.indexOf("--kv-events-config") + 1);
            var events = JSON.readTree(kvConfig);
            assertEquals("zmq", events.get("publisher").asText());
            assertTrue(events.get("enable_kv_cache_events").asBoolean());
            assertEquals("tcp://*:" + kv, events.get("endpoint").asText(),
                    "the publisher binds (vLLM and SGLang bind only a wildcard endpoint) on the declared kv-events port");
            assertEquals("kv-events", events.get("topic").asText());

            // The same command line VllmCommand or SglangCommand builds for this config, the endpoint bound.
            List<String> extra = new ArrayList<>();
            int maxModelLen = 0;
            String revision = argv.get(argv.indexOf("--revision") + 1);
            int gpus = Integer.parseInt(c.getResources().getLimits().get("nvidia.com/gpu").getAmount());
            if (argv.contains("--max-model-len")) {
                maxModelLen = Integer.parseInt(argv.get(argv.indexOf("--max-model-len") + 1));
            } else if (argv.contains("--context-length")) {
                maxModelLen = Integer.parseInt(argv.get(argv.indexOf("--context-length") + 1));
            }
            if (engine.equals("sglang")) {
                extra.addAll(List.of("--page-size", "16", "--kv-events-config", kvConfig));
            }
            int known = argv.indexOf("--kv-events-config") + 2;
            extra.addAll(argv.subList(known, argv.size())); // extraArgs from the values
            String yaml = "model: " + JSON.writeValueAsString(Map.of("id", model, "revision", revision))
                    + "\nengine: " + JSON.writeValueAsString(Map.of("name", engine, "launcher", "kubernetes", "args", extra))
                    + "\ngpu: {count: " + gpus + "}\n" + (maxModelLen > 0 ? "context_length: " + maxModelLen + "\n" : "");
            LaunchSpec spec = new LaunchSpec(e.getMetadata().getName(), ConfigLoader.parse("values", yaml), "0.0.0.0", http, kv);
            List<String> expected = engine.equals("vllm")
                    ? new ArrayList<>(new VllmCommand(List.of("vllm", "serve")).argv(spec))
                    : new ArrayList<>(new SglangCommand(List.of("python3", "-m", "sglang.launch_server")).argv(spec));
            int at = expected.indexOf("--kv-events-config");
            if (engine.equals("vllm")) {
                assertEquals(spec.kvEventsConfig().replace("tcp://0.0.0.0:", "tcp://*:"), kvConfig);
                expected.set(at + 1, kvConfig);
            }
            assertEquals(expected, argv, e.getMetadata().getName() + " must run what " + engine + "'s EngineCommand builds");
            assertTrue(argv.contains(engine.equals("vllm") ? "--enable-prefix-caching" : "--enable-metrics"));
            assertEquals("16", argv.get(argv.indexOf(engine.equals("vllm") ? "--block-size" : "--page-size") + 1),
                    "the router's blocks are 16 tokens");

            assertEquals("/health", c.getReadinessProbe().getHttpGet().getPath());
            assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
            assertEquals(c.getResources().getRequests().get("nvidia.com/gpu"), c.getResources().getLimits().get("nvidia.com/gpu"));
            assertEquals(Integer.toString(gpus), argv.get(argv.indexOf(engine.equals("vllm") ? "--tensor-parallel-size"
                    : "--tp-size") + 1), "one tensor-parallel rank per GPU");
            assertTrue(e.getMetadata().getName().endsWith("-" + labels.get(PodDiscovery.DEPLOYMENT_LABEL)),
                    "the deployment label names the Deployment: " + e.getMetadata().getName());
            String image = c.getImage();
            assertTrue(image.startsWith(engine.equals("vllm") ? "vllm/vllm-openai:" : "lmsysorg/sglang:"), image);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void rbacAllowsEveryCallTheProviderAndDiscoveryMake(Variation v, @TempDir Path dir) throws Exception {
        List<HasMetadata> objects = render(v, dir);
        Deployment gateway = named(of(objects, Deployment.class), "-gateway");
        String account = gateway.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertTrue(of(objects, ServiceAccount.class).stream().anyMatch(a -> a.getMetadata().getName().equals(account)),
                "the gateway runs as " + account + ", which the chart does not create");
        java.util.function.Predicate<List<Subject>> me = subjects -> subjects.stream().anyMatch(x -> x.getKind()
                .equals("ServiceAccount") && x.getName().equals(account) && v.namespace().equals(x.getNamespace()));
        List<PolicyRule> namespaced = new ArrayList<>();
        List<PolicyRule> cluster = new ArrayList<>();
        for (RoleBinding b : of(objects, RoleBinding.class)) {
            if (me.test(b.getSubjects())) {
                assertEquals("Role", b.getRoleRef().getKind());
                of(objects, Role.class).stream().filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName()))
                        .findFirst().ifPresentOrElse(r -> namespaced.addAll(r.getRules()),
                                () -> fail("RoleBinding " + b.getMetadata().getName() + " names no Role of the chart"));
            }
        }
        for (ClusterRoleBinding b : of(objects, ClusterRoleBinding.class)) {
            if (me.test(b.getSubjects())) {
                of(objects, ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName()))
                        .findFirst().ifPresentOrElse(r -> cluster.addAll(r.getRules()),
                                () -> fail("ClusterRoleBinding " + b.getMetadata().getName() + " names no ClusterRole of the chart"));
            }
        }
        for (ApiCall call : calls) {
            boolean allowed = allows(cluster, call) || (call.namespaced() && allows(namespaced, call));
            assertTrue(allowed, account + " may not " + call + " (KubernetesProvider or PodDiscovery does)");
        }
    }

    @Test
    void theCommittedManifestsAreTheChartRenderedWithItsDefaults() throws Exception {
        String committed = Files.exists(ROOT.resolve(HelmChart.MANIFEST)) ? Files.readString(ROOT.resolve(HelmChart.MANIFEST)) : "";
        assertEquals(CHART.manifest(), committed, HelmChart.MANIFEST + " differs from what the chart renders: run "
                + "scripts/render-manifests and commit the result");
    }

    @Test
    void helmLintFindsNothingAndBadValuesFailTheRender(@TempDir Path dir) throws Exception {
        var lint = CHART.lint();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        Path values = dir.resolve("bad.yaml");
        Files.writeString(values, "engines: [{name: x, engine: tgi, model: m}]\n");
        Exception e = assertThrows(Exception.class, () -> CHART.render("hearth", "hearth", values));
        assertTrue(e.getMessage().contains("engines[].engine must be vllm or sglang, was tgi"), e.getMessage());
    }

    /** A request to the API server as RBAC sees it: API group, resource (with subresource), verb, namespaced. */
    record ApiCall(String group, String resource, String verb, boolean namespaced) {
        static ApiCall of(String method, String target) {
            URI uri = URI.create(target);
            List<String> seg = new ArrayList<>(List.of(uri.getPath().replaceFirst("^/", "").split("/")));
            String group;
            if (seg.get(0).equals("api")) {
                group = "";
                seg = seg.subList(2, seg.size());
            } else {
                group = seg.get(1);
                seg = seg.subList(3, seg.size());
            }
            boolean namespaced = seg.size() > 2 && seg.get(0).equals("namespaces");
            if (namespaced) {
                seg = seg.subList(2, seg.size());
            }
            String resource = seg.get(0) + (seg.size() > 2 ? "/" + seg.get(2) : "");
            boolean named = seg.size() > 1;
            boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
            String verb = switch (method) {
                case "GET" -> named ? "get" : watch ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> throw new AssertionError("unexpected method " + method + " " + target);
            };
            return new ApiCall(group, resource, verb, namespaced);
        }
    }

    private static boolean allows(List<PolicyRule> rules, ApiCall call) {
        return rules.stream().anyMatch(r -> (r.getApiGroups().contains(call.group()) || r.getApiGroups().contains("*"))
                && (r.getResources().contains(call.resource()) || r.getResources().contains("*"))
                && (r.getVerbs().contains(call.verb()) || r.getVerbs().contains("*")));
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(List<T> objects, String suffix) {
        return objects.stream().filter(o -> o.getMetadata().getName().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing named *" + suffix));
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        Set<String> out = new LinkedHashSet<>();
        objects.forEach(o -> out.add(o.getMetadata().getName()));
        return out;
    }

    /** Engine Deployments: those whose pods say which deployment they serve. */
    private static List<Deployment> engines(List<HasMetadata> objects) {
        return of(objects, Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().containsKey(PodDiscovery.DEPLOYMENT_LABEL))
                .toList();
    }

    private static Container container(Deployment d) {
        List<Container> cs = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, cs.size(), d.getMetadata().getName());
        return cs.get(0);
    }

    private static List<ContainerPort> containerPorts(PodTemplateSpec t) {
        return t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream()).toList();
    }

    private static int port(List<ContainerPort> ports, String name) {
        return ports.stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name + ": " + ports)).getContainerPort();
    }

    private static String flag(List<String> args, String name) {
        int i = args.indexOf(name);
        assertTrue(i >= 0 && i + 1 < args.size(), "the gateway's args lack " + name + ": " + args);
        return args.get(i + 1);
    }
}
