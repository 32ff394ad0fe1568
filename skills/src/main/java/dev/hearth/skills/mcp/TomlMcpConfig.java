package dev.hearth.skills.mcp;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Codex's {@code config.toml}: a server is the table {@code [mcp_servers.NAME]} with {@code command},
 * {@code args} and a {@code [mcp_servers.NAME.env]} table, or with {@code url} and
 * {@code bearer_token_env_var} (openai/codex {@code docs/config.md}, "MCP integration").
 */
final class TomlMcpConfig implements McpConfigFormat {

    @Override
    public Optional<String> entry(String text, Path file, String name) throws McpConfigException {
        return TomlTables.scan(text, file).server(name).map(r -> text.substring(r.start(), r.end()));
    }

    @Override
    public boolean same(String entryText, String written) {
        return entryText.replace("\r\n", "\n").equals(written.replace("\r\n", "\n"));
    }

    @Override
    public String render(McpServerEntry e) {
        return render(e, "\n");
    }

    private static String render(McpServerEntry e, String nl) {
        String table = "mcp_servers." + TomlTables.key(e.name());
        StringBuilder sb = new StringBuilder("[").append(table).append("]").append(nl);
        if (e.isHttp()) {
            sb.append("url = ").append(TomlTables.quote(e.url().toString())).append(nl);
            if (e.bearerTokenVariable() != null) {
                sb.append("bearer_token_env_var = ").append(TomlTables.quote(e.bearerTokenVariable())).append(nl);
            }
            return sb.toString();
        }
        sb.append("command = ").append(TomlTables.quote(e.command())).append(nl);
        sb.append("args = [").append(String.join(", ", e.args().stream().map(TomlTables::quote).toList())).append("]").append(nl);
        if (!e.env().isEmpty()) {
            sb.append(nl).append("[").append(table).append(".env]").append(nl);
            e.env().forEach((k, v) -> sb.append(TomlTables.key(k)).append(" = ").append(TomlTables.quote(v)).append(nl));
        }
        return sb.toString();
    }

    @Override
    public Edit put(String text, Path file, McpServerEntry entry) throws McpConfigException {
        var existing = TomlTables.scan(text, file).server(entry.name()).orElse(null);
        return TomlTables.put(text, existing, render(entry, text.contains("\r\n") ? "\r\n" : "\n"));
    }

    @Override
    public String remove(String text, Path file, String name, Map<String, String> undo) throws McpConfigException {
        var region = TomlTables.scan(text, file).server(name);
        return region.isEmpty() ? text : TomlTables.remove(text, region.get(), undo);
    }

    @Override
    public String restore(String text, Path file, String name, String original) throws McpConfigException {
        var region = TomlTables.scan(text, file).server(name);
        return region.isEmpty() ? text
                : text.substring(0, region.get().start()) + original + text.substring(region.get().end());
    }
}
