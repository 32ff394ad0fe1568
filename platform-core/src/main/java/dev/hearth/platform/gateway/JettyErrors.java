package dev.hearth.platform.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before any route runs: a path it finds ambiguous ({@code /%2e%2e/},
 * {@code %2F}), a request line or headers too large (414, 431), a method a servlet does not take. Jetty's
 * own page is HTML; these are JSON in the convention of the API asked: a JSON-RPC 2.0 error under
 * {@code /mcp}, else the OpenAI error object the gateway and the control API answer with. Replaces
 * {@link ErrorHandler#generateResponse} (jetty-server 12.1), where Jetty writes an error body, for every method.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after a request it could not take; saying so keeps clients from reusing it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body(code, message, path)), callback);
    }

    /** Jetty writes error bodies for GET, POST and HEAD only; a PUT or DELETE refused gets its explanation too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    private static byte[] body(int code, String message, String path) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        Object body;
        if (path != null && (path.equals("/mcp") || path.startsWith("/mcp/"))) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", -32600);
            error.put("message", reason);
            Map<String, Object> rpc = new LinkedHashMap<>();
            rpc.put("jsonrpc", "2.0");
            rpc.put("id", null);
            rpc.put("error", error);
            body = rpc;
        } else {
            body = new OpenAiError(code, code >= 500 ? "server_error" : "invalid_request_error", reason + " (HTTP " + code
                    + ")", null, null).body();
        }
        try {
            return GatewayApi.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return "{\"error\":{\"message\":\"error\",\"type\":\"server_error\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
