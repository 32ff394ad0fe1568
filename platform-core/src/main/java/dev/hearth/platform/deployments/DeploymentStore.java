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
 * old state or the new, never half of one.
 */
public final class DeploymentStore {
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public DeploymentStore(Path stateDir) {
        this.root = stateDir.resolve("deployments");
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
            JSON.writeValue(tmp.toFile(), d);
            try {
                Files.move(tmp, dir.resolve("deployment.json"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("deployment.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save deployment " + d.name() + " under " + root, e);
        }
    }

    /** Forgets the deployment's state; its logs stay for reading. */
    public void remove(String name) {
        try {
            Files.deleteIfExists(dir(name).resolve("deployment.json"));
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
