package dev.hearth.platform.deployments;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deployments on disk: {@code STATE/deployments/NAME/deployment.json}, beside the replicas' logs.
 * Each write goes to a temporary file that is then renamed over the old one, so a crash leaves the
 * old state or the new, never half of one. Each save is also copied to a {@link StateMirror}, so
 * other gateways can follow this control plane and take it over.
 */
public final class DeploymentStore {
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;
    private final StateMirror mirror;

    public DeploymentStore(Path stateDir) {
        this(stateDir, StateMirror.NONE);
    }

    public DeploymentStore(Path stateDir, StateMirror mirror) {
        this.root = stateDir.resolve("deployments");
        this.mirror = mirror;
    }

    /** A deployment as saved (and mirrored). */
    public static Deployment parse(byte[] json) throws IOException {
        return JSON.readValue(json, Deployment.class);
    }

    /**
     * Writes the mirrored deployments as this store's own, replacing those saved here: taking the
     * control plane over, the mirror is the latest state (an empty mirror, a Redis that kept
     * nothing, leaves this store as it is). Returns how many.
     */
    public int adopt(java.util.Map<String, byte[]> mirrored) throws IOException {
        if (mirrored.keySet().stream().noneMatch(k -> k.startsWith(StateMirror.deploymentKey("")))) {
            return 0;
        }
        for (Deployment local : load(new ArrayList<>())) {
            if (!mirrored.containsKey(StateMirror.deploymentKey(local.name()))) {
                Files.deleteIfExists(dir(local.name()).resolve("deployment.json")); // deleted by the last control plane
            }
        }
        int n = 0;
        for (var e : mirrored.entrySet()) {
            if (e.getKey().startsWith(StateMirror.deploymentKey(""))) {
                Deployment d = parse(e.getValue());
                Files.createDirectories(dir(d.name()));
                Files.write(dir(d.name()).resolve("deployment.json"), e.getValue());
                n++;
            }
        }
        return n;
    }

    /** Where a deployment's files (state, logs, launch files) live. */
    public Path dir(String name) {
        return root.resolve(name);
    }

    public void save(Deployment d) {
        try {
            Path dir = dir(d.name());
            Files.createDirectories(dir);
            Path tmp = dir.resolve("deployment.json.tmp");
            byte[] json = JSON.writeValueAsBytes(d);
            Files.write(tmp, json);
            try {
                Files.move(tmp, dir.resolve("deployment.json"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("deployment.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            mirror.saved(StateMirror.deploymentKey(d.name()), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save deployment " + d.name() + " under " + root, e);
        }
    }

    /** Forgets the deployment's state; its logs stay for reading. */
    public void remove(String name) {
        try {
            Files.deleteIfExists(dir(name).resolve("deployment.json"));
            mirror.removed(StateMirror.deploymentKey(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every saved deployment; a file that cannot be read is skipped with its reason in {@code unreadable}. */
    public List<Deployment> load(List<String> unreadable) {
        List<Deployment> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve("deployment.json");
                if (Files.isRegularFile(file)) {
                    try {
                        out.add(JSON.readValue(file.toFile(), Deployment.class));
                    } catch (IOException e) {
                        unreadable.add(file + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
