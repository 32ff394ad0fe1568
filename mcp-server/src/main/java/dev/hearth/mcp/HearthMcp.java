package dev.hearth.mcp;

import dev.hearth.platform.api.ControlClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hearth's MCP server: the deployment, inference and capacity tools over the control API of a
 * running Hearth. With {@code readOnly}, every tool that changes anything is left out. A tool's
 * domain failure is an {@code isError} result saying what to do next; arguments that break a
 * tool's input schema are refused the same way by the SDK's validator, naming the field.
 */
public final class HearthMcp {
    private static final Logger LOG = LoggerFactory.getLogger(HearthMcp.class);
    static final String INSTRUCTIONS = "Hearth serves LLMs on vLLM or SGLang replicas with cache-aware routing. "
            + "Start with deployments_list; plan with deployment_plan before deployment_apply; chat_completion runs "
            + "inference against a deployment.";

    private HearthMcp() {}

    /** Every tool, in the order they are listed. */
    public static List<McpSchema.Tool> tools(boolean readOnly) {
        return defs(readOnly).stream().map(ToolDef::tool).toList();
    }

    static List<ToolDef> defs(boolean readOnly) {
        List<ToolDef> all = new ArrayList<>();
        all.addAll(new DeploymentTools().all());
        all.addAll(new InferenceTools().all());
        all.addAll(new ObservabilityTools().all());
        all.addAll(new CapacityTools().all());
        return all.stream().filter(t -> !readOnly || !t.changes()).toList();
    }

    /** Standard output for the stdio transport: whole lines only, shared by the SDK and the skills extension. */
    public static java.io.OutputStream stdioLines(java.io.OutputStream out) {
        return new StdioSkills.Lines(out);
    }

    /** Standard input for the SDK, with the skills extension's requests taken out and answered on {@code lines}. */
    public static java.io.InputStream stdioInput(java.io.InputStream in, java.io.OutputStream lines, SkillsExtension skills)
            throws java.io.IOException {
        return StdioSkills.filter(in, (StdioSkills.Lines) lines, skills);
    }

    /** A document served as a resource beside the built-in ones (the CLI reference, rendered by the CLI). */
    public record Doc(String uri, String name, String title, String description, String mimeType, String text) {}

    /** On stdio (one session). */
    public static McpSyncServer start(McpServerTransportProvider transport, ControlClient api, boolean readOnly,
                                      String version, List<Doc> docs, SkillsExtension skills) {
        return configure(McpServer.sync(transport), api, readOnly, version, docs, skills).build();
    }

    /** On Streamable HTTP (sessions by id). */
    public static McpSyncServer start(McpStreamableServerTransportProvider transport, ControlClient api, boolean readOnly,
                                      String version, List<Doc> docs, SkillsExtension skills) {
        return configure(McpServer.sync(transport), api, readOnly, version, docs, skills).build();
    }

    /** The bearer key a caller presented over HTTP, kept in the transport context by {@link McpHttp}. */
    static final String CALLER_KEY = "hearth.caller-key";

    private static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
            McpServer.SyncSpecification<S> spec, ControlClient api, boolean readOnly, String version, List<Doc> docs,
            SkillsExtension skills) {
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (ToolDef d : defs(readOnly)) {
            specs.add(McpServerFeatures.SyncToolSpecification.builder().tool(d.tool()).callHandler((exchange, request) -> {
                Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
                ControlClient caller = caller(exchange, api);
                try {
                    return d.handler().call(exchange, request, args, caller);
                } catch (ToolFailure e) {
                    return Tools.error(e.getMessage());
                } catch (IllegalStateException e) { // the control API refused or could not be reached
                    return Tools.error(e.getMessage());
                } catch (Exception e) {
                    LOG.error("tool {} failed", d.tool().name(), e);
                    return Tools.error(d.tool().name() + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                            : JsonRpcErrorMapper.clean(e.getMessage())) + "; check that Hearth runs at " + api.base());
                }
            }).build());
        }
        return spec.serverInfo("hearth", version)
                .instructions(INSTRUCTIONS)
                .jsonMapper(McpJsonDefaults.getMapper())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false)
                        .logging().extensions(SkillsExtension.capability()).build())
                .validateToolInputs(true)
                .tools(specs)
                .resources(McpResources.fixed(docs))
                .resources(skills.resources())
                .resourceTemplates(McpResources.deployments(HearthMcp::caller, api))
                .prompts(McpPrompts.all());
    }

    /** The control API as this caller may use it: with the bearer key it presented over HTTP, if any. */
    static ControlClient caller(io.modelcontextprotocol.server.McpSyncServerExchange exchange, ControlClient api) {
        Object key = exchange.transportContext() == null ? null : exchange.transportContext().get(CALLER_KEY);
        return key instanceof String k && !k.isEmpty() ? api.withKey(k) : api;
    }
}
