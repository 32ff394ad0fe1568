package dev.hearth.mcp;

import dev.hearth.platform.api.ControlApi;
import dev.hearth.platform.api.ControlClient;
import dev.hearth.platform.config.ModelConfig;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What an assistant can read: each deployment's state ({@code hearth://deployments/{name}}), the
 * config.yaml schema and the control API's OpenAPI description.
 */
final class McpResources {
    static final String DEPLOYMENT = "hearth://deployments/{name}";
    static final String SCHEMA = "hearth://docs/config-schema";
    static final String OPENAPI = "hearth://docs/control-api";

    private McpResources() {}

    static List<McpServerFeatures.SyncResourceSpecification> fixed(List<HearthMcp.Doc> more) {
        List<McpServerFeatures.SyncResourceSpecification> out = new java.util.ArrayList<>(List.of(
                doc(new HearthMcp.Doc(SCHEMA, "config-schema", "config.yaml schema",
                        "Every key of config.yaml: type, default, meaning.", "text/markdown",
                        read(ModelConfig.class, "config-schema.md"))),
                doc(new HearthMcp.Doc(OPENAPI, "control-api", "Control API", "The /api/v1 REST API as OpenAPI 3.1.",
                        "application/json", read(ControlApi.class, "openapi.json")))));
        more.forEach(d -> out.add(doc(d)));
        return out;
    }

    static McpServerFeatures.SyncResourceTemplateSpecification deployments(
            BiFunction<McpSyncServerExchange, ControlClient, ControlClient> caller, ControlClient api) {
        return new McpServerFeatures.SyncResourceTemplateSpecification(new McpSchema.ResourceTemplate(DEPLOYMENT,
                "deployment", "A deployment's state", "A deployment as JSON: config, generation, replicas and their phases.",
                "application/json", null), (exchange, request) -> {
                    String uri = request.uri();
                    String name = uri.substring(uri.lastIndexOf('/') + 1);
                    try {
                        HttpResponse<String> r = caller.apply(exchange, api).send("GET", "/api/v1/deployments/" + Tools.segment(name), null);
                        if (r.statusCode() == 404) {
                            throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND)
                                    .message("no deployment named " + name).data(uri).build();
                        }
                        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri,
                                "application/json", ControlClient.answer(r).toPrettyString())));
                    } catch (McpError e) {
                        throw e;
                    } catch (Exception e) {
                        throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
                    }
                });
    }

    private static String read(Class<?> owner, String file) {
        try (InputStream in = owner.getResourceAsStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static McpServerFeatures.SyncResourceSpecification doc(HearthMcp.Doc d) {
        return new McpServerFeatures.SyncResourceSpecification(new McpSchema.Resource(d.uri(), d.name(), d.title(),
                d.description(), d.mimeType(), (long) d.text().getBytes(StandardCharsets.UTF_8).length, null, null),
                (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(d.uri(),
                        d.mimeType(), d.text()))));
    }
}
