package dev.hearth.router.tokens;

import java.util.Objects;

/** One message of an OpenAI-style chat: a role and its text content. */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
    }
}
