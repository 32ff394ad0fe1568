package dev.hearth.mcp;

import dev.hearth.platform.api.ControlClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
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
    public static List<McpSchema.Tool> tools(ControlClient api, boolean readOnly) {
        return defs(api, readOnly).stream().map(ToolDef::tool).toList();
    }

    static List<ToolDef> defs(ControlClient api, boolean readOnly) {
        List<ToolDef> all = new ArrayList<>();
        all.addAll(new DeploymentTools(api).all());
        all.addAll(new InferenceTools(api).all());
        all.addAll(new CapacityTools(api).all());
        return all.stream().filter(t -> !readOnly || !t.changes()).toList();
    }

    public static McpSyncServer start(McpServerTransportProvider transport, ControlClient api, boolean readOnly,
                                      String version) {
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (ToolDef d : defs(api, readOnly)) {
            specs.add(McpServerFeatures.SyncToolSpecification.builder().tool(d.tool()).callHandler((exchange, request) -> {
                Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
                try {
                    return d.handler().call(exchange, request, args);
                } catch (ToolFailure e) {
                    return Tools.error(e.getMessage());
                } catch (IllegalStateException e) { // the control API refused or could not be reached
                    return Tools.error(e.getMessage());
                } catch (Exception e) {
                    LOG.error("tool {} failed", d.tool().name(), e);
                    return Tools.error(d.tool().name() + " failed: " + e + "; check that Hearth runs at " + api.base());
                }
            }).build());
        }
        return McpServer.sync(transport)
                .serverInfo("hearth", version)
                .instructions(INSTRUCTIONS)
                .jsonMapper(McpJsonDefaults.getMapper())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                .validateToolInputs(true)
                .tools(specs)
                .build();
    }
}
