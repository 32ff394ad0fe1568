package dev.hearth.mcp;

import dev.hearth.platform.api.ControlClient;
import dev.hearth.platform.gateway.ApiKeys;
import dev.hearth.platform.gateway.OpenAiError;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The MCP server over Streamable HTTP at {@code /mcp} on the gateway: the SDK's servlet transport
 * inside Javalin's Jetty. Every request's {@code Origin}, when a browser sends one, must be this
 * machine or one allowed (DNS rebinding); with API keys on, a valid bearer key is required, and the
 * tools call the control API with that same key, so MCP grants nothing the key does not. Every request
 * passes {@link JsonRpcGuard} first, and the SDK's own refusals are JSON-RPC errors ({@link JsonRpcErrorMapper}).
 */
public final class McpHttp implements Consumer<JavalinConfig> {
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;
    private final HttpSkills skills;
    private final JsonRpcGuard guard;

    /**
     * @param self           the gateway's own address, known once it listens
     * @param apiKeys        null for open access
     * @param allowedOrigins origins beyond this machine's that may call (exact, e.g. https://app.example.com)
     * @param maxBodyBytes   the largest message body taken (the gateway's --max-body-bytes)
     */
    public McpHttp(Supplier<URI> self, ApiKeys apiKeys, List<String> allowedOrigins, boolean readOnly, String version,
                   List<HearthMcp.Doc> docs, int maxBodyBytes) {
        this.transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JsonRpcErrorMapper(McpJsonDefaults.getMapper()))
                .maxRequestSize(maxBodyBytes)
                .mcpEndpoint("/mcp")
                .securityValidator(headers -> check(headers, apiKeys, allowedOrigins))
                .contextExtractor(request -> {
                    String auth = request.getHeader("Authorization");
                    return McpTransportContext.create(Map.of(HearthMcp.CALLER_KEY, auth != null
                            && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : ""));
                })
                .build();
        SkillsExtension bundled = new SkillsExtension(dev.hearth.skills.SkillSet.bundled());
        this.server = HearthMcp.start(transport, new ControlClient(self, null), readOnly, version, docs, bundled);
        this.skills = new HttpSkills(bundled, headers -> check(headers, apiKeys, allowedOrigins));
        this.guard = new JsonRpcGuard(maxBodyBytes);
    }

    @Override
    public void accept(JavalinConfig javalin) {
        javalin.jetty.modifyServletContextHandler(handler -> {
            ServletHolder holder = new ServletHolder(transport);
            holder.setAsyncSupported(true);
            handler.addServlet(holder, "/mcp");
            handler.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(guard), "/mcp",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            handler.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(skills), "/mcp",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        });
    }

    /** Origin first (a browser on another site must not reach a local server), then the bearer key. */
    static void check(Map<String, List<String>> headers, ApiKeys apiKeys, List<String> allowedOrigins)
            throws ServerTransportSecurityException {
        String origin = first(headers, "origin");
        if (origin != null && !allowedOrigins.contains(origin) && !local(origin)) {
            throw new ServerTransportSecurityException(403, "Origin " + origin + " may not call this MCP server; "
                    + "start Hearth with --mcp-allowed-origin " + origin + " to allow it");
        }
        if (apiKeys != null) {
            try {
                apiKeys.tenant(first(headers, "authorization"));
            } catch (OpenAiError e) {
                throw new ServerTransportSecurityException(401, e.getMessage());
            }
        }
    }

    private static boolean local(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return host != null && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    public void close() {
        server.closeGracefully();
    }
}
