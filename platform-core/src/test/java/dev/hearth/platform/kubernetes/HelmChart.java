package dev.hearth.platform.kubernetes;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hearth's Helm chart (deploy/helm/hearth) rendered by Helm itself, as {@code helm template} does:
 * Marc Nuri's helm-java runs Helm (3.21.0 in helm-java 0.0.21) as a native library, so no helm
 * binary is needed. {@link #main} writes deploy/kubernetes/hearth.yaml, the chart with its default
 * values ({@code scripts/render-manifests}); ChartTest fails while the committed file differs.
 */
public final class HelmChart {
    static final String RELEASE = "hearth";
    static final String NAMESPACE = "hearth";
    static final Path CHART = Path.of("deploy", "helm", "hearth");
    static final Path MANIFEST = Path.of("deploy", "kubernetes", "hearth.yaml");
    static final String HEADER = """
            # Generated from the Helm chart deploy/helm/hearth with its default values: do not edit. Change the
            # chart and run scripts/render-manifests (the same as: helm template hearth deploy/helm/hearth
            # --namespace hearth). Apply: kubectl create namespace hearth; kubectl apply -f deploy/kubernetes/hearth.yaml
            """;

    private final Path root;

    /** {@code root}: the repository's root folder. */
    HelmChart(Path root) {
        this.root = root;
    }

    /** The chart rendered for a release in a namespace, with a values file over the defaults (null for none). */
    String render(String release, String namespace, Path values) {
        var template = new Helm(root.resolve(CHART)).template().withName(release).withNamespace(namespace);
        if (values != null) {
            template = template.withValuesFile(values);
        }
        return template.call();
    }

    /** What deploy/kubernetes/hearth.yaml must hold. */
    String manifest() {
        return HEADER + render(RELEASE, NAMESPACE, null);
    }

    /** Helm's own checks of the chart (helm lint --strict); the messages, empty-handed when none failed. */
    com.marcnuri.helm.LintResult lint() {
        return new Helm(root.resolve(CHART)).lint().strict().call();
    }

    /** Every document of a rendered stream as fabric8's typed object. */
    static List<HasMetadata> objects(String yaml) {
        Object parsed = new KubernetesSerialization().unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    /** Writes deploy/kubernetes/hearth.yaml under the root given as the first argument (default: the parent folder). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        Path out = root.resolve(MANIFEST);
        Files.createDirectories(out.getParent());
        Files.writeString(out, new HelmChart(root).manifest());
        System.out.println("wrote " + out);
    }
}
