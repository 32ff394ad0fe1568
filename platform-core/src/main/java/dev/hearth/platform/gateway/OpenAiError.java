package dev.hearth.platform.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered in the OpenAI API's own shape, {"error": {"message", "type", "param", "code"}},
 * with the status OpenAI uses for it (400 invalid request, 404 unknown model, 503 no capacity).
 */
public final class OpenAiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public OpenAiError(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static OpenAiError invalid(String message, String param) {
        return new OpenAiError(400, "invalid_request_error", message, param, null);
    }

    public static OpenAiError unknownModel(String model) {
        return new OpenAiError(404, "invalid_request_error", "The model `" + model + "` does not exist", "model",
                "model_not_found");
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", getMessage());
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        return Map.of("error", e);
    }
}
