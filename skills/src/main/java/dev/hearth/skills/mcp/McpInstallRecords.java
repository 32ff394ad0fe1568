package dev.hearth.skills.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hearth's note of every MCP entry it wrote, by configuration file and server name: the exact value
 * written (so an entry the user changed is recognised and left alone), whether Hearth created the file
 * and its folders, the user's entry it replaced with {@code --force}, and what undoes the insertion.
 * Kept in one file under the user's {@code ~/.hearth} rather than beside each configuration, so that
 * no project gains a file to commit.
 */
final class McpInstallRecords {
    /** One entry Hearth wrote. */
    record Installed(String agent, String written, boolean createdFile, List<String> createdDirs, String replaced,
            Map<String, String> undo) {
        Installed {
            createdDirs = createdDirs == null ? List.of() : List.copyOf(createdDirs);
            undo = undo == null ? Map.of() : Map.copyOf(undo);
        }

        Installed written(String now) {
            return new Installed(agent, now, createdFile, createdDirs, replaced, undo);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Installed>>> TYPE = new TypeReference<>() {};

    private final Path file;
    private final Map<String, Map<String, Installed>> entries;

    private McpInstallRecords(Path file, Map<String, Map<String, Installed>> entries) {
        this.file = file;
        this.entries = entries;
    }

    static McpInstallRecords load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new McpInstallRecords(file, new LinkedHashMap<>());
        }
        try {
            return new McpInstallRecords(file, new LinkedHashMap<>(JSON.readValue(file.toFile(), TYPE)));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new McpConfigException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "Hearth's record of its MCP entries is unreadable (" + e.getOriginalMessage() + "); move it away to start afresh");
        }
    }

    Installed get(Path config, String name) {
        return entries.getOrDefault(config.toString(), Map.of()).get(name);
    }

    void put(Path config, String name, Installed installed) {
        entries.computeIfAbsent(config.toString(), k -> new LinkedHashMap<>()).put(name, installed);
    }

    void remove(Path config, String name) {
        Map<String, Installed> byName = entries.get(config.toString());
        if (byName != null) {
            byName.remove(name);
            if (byName.isEmpty()) {
                entries.remove(config.toString());
            }
        }
    }

    /** Written to a temporary file and renamed, so a crash never leaves half a record. */
    void save() throws IOException {
        if (entries.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), entries);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
