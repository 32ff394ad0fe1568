package dev.hearth.skills.mcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One MCP server as an assistant should start or reach it: over stdio ({@code command}, {@code args},
 * {@code env}) or over Streamable HTTP ({@code url}). {@code bearerTokenVariable} names the
 * environment variable holding the bearer key for an HTTP server; each assistant refers to it in its
 * own syntax, so the key itself is never written into a configuration file.
 */
public record McpServerEntry(String name, String command, List<String> args, Map<String, String> env, URI url,
        String bearerTokenVariable) {
    public static final String DEFAULT_NAME = "hearth";
    /** Names every format can carry unquoted: a TOML bare key, a JSON key, a VS Code server name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public McpServerEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be 1-64 letters, digits, '_' or '-', was '" + name + "'");
        }
        if ((command == null) == (url == null)) {
            throw new IllegalArgumentException("an MCP server entry has either a command (stdio) or a URL (HTTP)");
        }
        if (bearerTokenVariable != null && (url == null || !VARIABLE.matcher(bearerTokenVariable).matches())) {
            throw new IllegalArgumentException(url == null ? "a bearer-key variable applies to an HTTP entry only"
                    : "'" + bearerTokenVariable + "' is not an environment variable name");
        }
        args = List.copyOf(args == null ? List.of() : args);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env == null ? Map.of() : env));
    }

    public static McpServerEntry stdio(String name, List<String> commandLine, Map<String, String> env) {
        if (commandLine.isEmpty()) {
            throw new IllegalArgumentException("a stdio MCP server needs a command");
        }
        return new McpServerEntry(name, commandLine.get(0), commandLine.subList(1, commandLine.size()), env, null, null);
    }

    public static McpServerEntry http(String name, URI url, String bearerTokenVariable) {
        return new McpServerEntry(name, null, List.of(), Map.of(), url, bearerTokenVariable);
    }

    /**
     * {@code hearth mcp} over stdio, started by {@code launcher} (the {@code hearth} script, or java
     * with the jar), talking to the Hearth at {@code hearthUrl} when one is given (else it finds or
     * starts one itself).
     */
    public static McpServerEntry hearthStdio(String name, List<String> launcher, URI hearthUrl) {
        List<String> line = new ArrayList<>(launcher);
        line.add("mcp");
        if (hearthUrl != null) {
            line.add("--url");
            line.add(hearthUrl.toString());
        }
        return stdio(name, line, Map.of());
    }

    /** The Hearth at {@code hearthUrl} over Streamable HTTP: Hearth serves MCP at {@code /mcp}. */
    public static McpServerEntry hearthHttp(String name, URI hearthUrl, String bearerTokenVariable) {
        String base = hearthUrl.toString().replaceAll("/+$", "");
        if (hearthUrl.getScheme() == null || !hearthUrl.getScheme().matches("https?") || hearthUrl.getHost() == null) {
            throw new IllegalArgumentException("--http must be an http:// or https:// URL, was '" + hearthUrl + "'");
        }
        return http(name, URI.create(base.endsWith("/mcp") ? base : base + "/mcp"), bearerTokenVariable);
    }

    public boolean isHttp() {
        return url != null;
    }
}
