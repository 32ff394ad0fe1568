package dev.hearth.mcp;

/** A domain failure: an {@code isError} result whose text says what went wrong and what to do next. */
final class ToolFailure extends RuntimeException {
    ToolFailure(String message) {
        super(message, null, false, false);
    }
}
