package dev.hearth.skills.mcp;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A JSON (with comments) file keeping servers in one top-level object, each entry shaped the assistant's way. */
final class JsonMcpConfig implements McpConfigFormat {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    private final List<String> container;
    private final Function<McpServerEntry, ObjectNode> shape;

    JsonMcpConfig(String container, Function<McpServerEntry, ObjectNode> shape) {
        this.container = List.of(container);
        this.shape = shape;
    }

    @Override
    public Optional<String> entry(String text, Path file, String name) throws McpConfigException {
        return JsoncEditor.valueText(text, file, container, name);
    }

    @Override
    public boolean same(String entryText, String written) {
        try {
            return LENIENT.readTree(entryText).equals(LENIENT.readTree(written));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public String render(McpServerEntry entry) {
        return shape.apply(entry).toString();
    }

    @Override
    public Edit put(String text, Path file, McpServerEntry entry) throws McpConfigException {
        JsoncEditor.Edit edit = JsoncEditor.put(text, file, container, entry.name(), shape.apply(entry));
        return new Edit(edit.text(), render(entry), edit.undo());
    }

    @Override
    public String remove(String text, Path file, String name, Map<String, String> undo) throws McpConfigException {
        return JsoncEditor.remove(text, file, container, name, undo);
    }

    @Override
    public String restore(String text, Path file, String name, String original) throws McpConfigException {
        return JsoncEditor.replaceValue(text, file, container, name, original);
    }
}
