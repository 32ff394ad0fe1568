package dev.hearth.skills.mcp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where each coding assistant keeps its MCP servers (in a project, and for the user) and how it writes
 * one. Sources followed, checked against each project's own documentation or code:
 * <ul>
 * <li>Claude Code (code.claude.com/docs/en/mcp): {@code .mcp.json} and the top-level {@code mcpServers}
 * of {@code ~/.claude.json} (user scope; the rest of that file is Claude Code's own and untouched);
 * {@code "type": "stdio"} with {@code command}/{@code args}/{@code env}, or {@code "type": "http"} with
 * {@code url}/{@code headers}; {@code ${VAR}} is expanded in {@code command, args, env, url, headers}
 * (some releases did not expand it in headers: anthropics/claude-code issues 6204, 51581).</li>
 * <li>Cursor (cursor.com/docs/mcp): {@code .cursor/mcp.json}, {@code ~/.cursor/mcp.json}, key
 * {@code mcpServers}, {@code command}/{@code args}/{@code env} or {@code url}/{@code headers};
 * {@code ${env:NAME}} interpolation in those fields.</li>
 * <li>VS Code / Copilot (microsoft/vscode-docs {@code docs/copilot/reference/mcp-configuration.md}):
 * {@code .vscode/mcp.json} and the user profile's {@code mcp.json} (the default profile's
 * {@code Code/User} folder: {@code ~/.config} on Linux, {@code ~/Library/Application Support} on macOS,
 * {@code %APPDATA%} on Windows; other profiles and {@code $XDG_CONFIG_HOME} are not followed), key
 * {@code servers}, {@code type} "stdio" or "http"; {@code ${env:NAME}} is one of VS Code's predefined
 * variables (docs/reference/variables-reference.md).</li>
 * <li>Gemini CLI (google-gemini/gemini-cli {@code docs/tools/mcp-server.md}, docs/cli/configuration.md):
 * {@code .gemini/settings.json}, {@code ~/.gemini/settings.json}, key {@code mcpServers},
 * {@code command}/{@code args}/{@code env}, or {@code httpUrl} (Streamable HTTP; {@code url} would be
 * SSE) with {@code headers}; every string in settings.json may use {@code $VAR} or {@code ${VAR}}.</li>
 * <li>Codex (openai/codex {@code docs/config.md}): {@code ~/.codex/config.toml}, {@code .codex/config.toml}
 * in a trusted project; see {@link TomlMcpConfig}. {@code $CODEX_HOME} is not followed.</li>
 * </ul>
 */
public record McpAgent(String name, String projectFile, String userFile, McpConfigFormat format) {

    /** The assistants on this machine's operating system (VS Code's user folder depends on it). */
    public static final List<McpAgent> ALL = all(System.getProperty("os.name", ""));

    public static List<McpAgent> all(String osName) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        String vscodeUser = os.startsWith("mac") ? "Library/Application Support/Code/User/mcp.json"
                : os.startsWith("windows") ? "AppData/Roaming/Code/User/mcp.json" : ".config/Code/User/mcp.json";
        return List.of(
                new McpAgent("claude-code", ".mcp.json", ".claude.json", new JsonMcpConfig("mcpServers", McpAgent::claude)),
                new McpAgent("cursor", ".cursor/mcp.json", ".cursor/mcp.json", new JsonMcpConfig("mcpServers", McpAgent::cursor)),
                new McpAgent("copilot", ".vscode/mcp.json", vscodeUser, new JsonMcpConfig("servers", McpAgent::vscode)),
                new McpAgent("gemini", ".gemini/settings.json", ".gemini/settings.json", new JsonMcpConfig("mcpServers", McpAgent::gemini)),
                new McpAgent("codex", ".codex/config.toml", ".codex/config.toml", new TomlMcpConfig()));
    }

    public static McpAgent named(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown agent '" + name + "'; one of "
                        + ALL.stream().map(McpAgent::name).toList() + " or all"));
    }

    /** The configuration file: under {@code projectDir}, or the user's under {@code home} when it is null. */
    public Path file(Path projectDir, Path home) {
        return projectDir != null ? projectDir.resolve(projectFile) : home.resolve(userFile);
    }

    private static ObjectNode claude(McpServerEntry e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", e.isHttp() ? "http" : "stdio");
        return body(o, e, "url", "${%s}");
    }

    private static ObjectNode cursor(McpServerEntry e) {
        return body(JsonNodeFactory.instance.objectNode(), e, "url", "${env:%s}");
    }

    private static ObjectNode vscode(McpServerEntry e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", e.isHttp() ? "http" : "stdio");
        return body(o, e, "url", "${env:%s}");
    }

    private static ObjectNode gemini(McpServerEntry e) {
        return body(JsonNodeFactory.instance.objectNode(), e, "httpUrl", "${%s}");
    }

    /** The common fields: command, args and env, or the URL under {@code urlKey} and a bearer header naming the variable. */
    private static ObjectNode body(ObjectNode o, McpServerEntry e, String urlKey, String variable) {
        if (e.isHttp()) {
            o.put(urlKey, e.url().toString());
            if (e.bearerTokenVariable() != null) {
                o.putObject("headers").put("Authorization", "Bearer " + variable.formatted(e.bearerTokenVariable()));
            }
            return o;
        }
        o.put("command", e.command());
        var args = o.putArray("args");
        e.args().forEach(args::add);
        if (!e.env().isEmpty()) {
            ObjectNode env = o.putObject("env");
            for (Map.Entry<String, String> kv : e.env().entrySet()) {
                env.put(kv.getKey(), kv.getValue());
            }
        }
        return o;
    }
}
