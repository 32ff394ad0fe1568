package dev.hearth.enginesim.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, validated access to a JSON request body. Wrong types fail as the engines' pydantic models
 * do: a 400 naming the field and what it should be.
 */
final class RequestFields {
    private final JsonNode body;

    RequestFields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.validation("Input should be a valid JSON object (the request body)");
        }
        this.body = body;
    }

    JsonNode raw(String name) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    String string(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a valid string", v);
        }
        return v.asText();
    }

    Integer integer(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            if (v.isIntegralNumber()) {
                throw ApiError.validation(name + ": Input should be less than or equal to " + Integer.MAX_VALUE
                        + ", got " + v);
            }
            throw wrongType(name, "a valid integer", v);
        }
        return v.asInt();
    }

    Long longValue(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "a valid integer", v);
        }
        return v.asLong();
    }

    Double number(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw wrongType(name, "a valid number", v);
        }
        return v.asDouble();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = raw(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a valid boolean", v);
        }
        return v.asBoolean();
    }

    /** A string or a list of strings, as OpenAI's {@code stop}. */
    List<String> strings(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw wrongType(name, "a valid string or list of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrongType(name, "a list of strings", v);
            }
            out.add(item.asText());
        }
        return out;
    }

    RequestFields object(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(name, "a valid dictionary", v);
        }
        return new RequestFields(v);
    }

    static ApiError wrongType(String name, String expected, JsonNode got) {
        String shown = got.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return ApiError.validation(name + ": Input should be " + expected + ", got " + shown);
    }
}
