package dev.hearth.platform.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model directory and its {@code config.yaml}: {@link #init} writes one, or updates an existing
 * one in place, editing only the lines of the keys it sets so the user's other keys and comments
 * stay as they were. It writes into the directory given, never into a new subdirectory of it.
 */
public final class ModelDirectory {
    public static final String FILE = "config.yaml";
    public static final String DEFAULT_MODEL = "Qwen/Qwen3-0.6B";

    /** What {@link #init} did. */
    public record Result(Path file, boolean created, List<String> changed) {}

    private ModelDirectory() {}

    /** Writes or updates {@code dir/config.yaml}; {@code model} and {@code engine} may be null to keep (or default) them. */
    public static Result init(Path dir, String model, String engine) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a directory");
        }
        if (engine != null && !engine.equals("vllm") && !engine.equals("sglang")) {
            throw new IllegalArgumentException("--engine must be vllm or sglang, was '" + engine + "'");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            String text = template(model == null ? DEFAULT_MODEL : model, engine == null ? "vllm" : engine);
            ConfigLoader.parse(file.toString(), text);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return new Result(file, true, List.of("model.id", "engine.name"));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        ConfigLoader.parse(file.toString(), String.join("\n", lines)); // never edit a file we cannot read back
        List<String> changed = new ArrayList<>();
        if (model != null && set(lines, "model", "id", model)) {
            changed.add("model.id");
        }
        if (engine != null && set(lines, "engine", "name", engine)) {
            changed.add("engine.name");
        }
        String text = String.join("\n", lines) + "\n";
        ConfigLoader.parse(file.toString(), text);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return new Result(file, false, changed);
    }

    /** Sets {@code section.key} to {@code value} in place; adds the key or the section when missing. */
    static boolean set(List<String> lines, String section, String key, String value) {
        Pattern header = Pattern.compile("^" + Pattern.quote(section) + ":\\s*(#.*)?$");
        Pattern entry = Pattern.compile("^(\\s+)" + Pattern.quote(key) + ":\\s*([^#]*?)(\\s+#.*)?$");
        for (int i = 0; i < lines.size(); i++) {
            if (!header.matcher(lines.get(i)).matches()) {
                continue;
            }
            int j = i + 1;
            String indent = "  ";
            for (; j < lines.size() && (lines.get(j).isBlank() || lines.get(j).startsWith(" ") || lines.get(j).startsWith("#")); j++) {
                Matcher m = entry.matcher(lines.get(j));
                if (m.matches()) {
                    if (m.group(2).trim().equals(value)) {
                        return false;
                    }
                    lines.set(j, m.group(1) + key + ": " + value + (m.group(3) == null ? "" : m.group(3)));
                    return true;
                }
                if (!lines.get(j).isBlank() && lines.get(j).startsWith(" ")) {
                    indent = lines.get(j).substring(0, lines.get(j).length() - lines.get(j).stripLeading().length());
                }
            }
            lines.add(i + 1, indent + key + ": " + value);
            return true;
        }
        lines.add(section + ":");
        lines.add("  " + key + ": " + value);
        return true;
    }

    /** A new config.yaml: every key shown with its default, documented in ModelConfig. */
    static String template(String model, String engine) {
        return new ConfigTemplate().render(ConfigTemplate.Values.defaults(model, engine));
    }
}
