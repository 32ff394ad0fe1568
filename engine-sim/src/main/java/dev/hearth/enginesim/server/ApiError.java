package dev.hearth.enginesim.server;

/**
 * A request the engine refuses, with the status and error type the real engine uses:
 * "Bad Request" for body validation failures, "BadRequestError" for semantic ones, "NotFoundError"
 * for an unknown model (vllm/entrypoints/openai/api_server.py and serving_engine.py create_error_response).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;

    public ApiError(int status, String type, String message, String param) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
    }

    /** The body did not parse or a field has the wrong type (pydantic validation in the engines). */
    public static ApiError validation(String message) {
        return new ApiError(400, "Bad Request", message, null);
    }

    public static ApiError badRequest(String message, String param) {
        return new ApiError(400, "BadRequestError", message, param);
    }

    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "NotFoundError", "The model `" + model + "` does not exist.", "model");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }
}
