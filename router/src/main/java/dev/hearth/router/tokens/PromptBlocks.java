package dev.hearth.router.tokens;

import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.prefix.BlockHasher;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a request into what the router matches: the chat template applied, the prompt tokenized
 * with the model's tokenizer (for simulated models, {@link SimTokenizer}), its full blocks hashed
 * with the engine's block size. The same steps the engine takes, so the keys agree.
 */
public final class PromptBlocks {
    private final SimTokenizer tokenizer;
    private final ChatTemplate template;
    private final BlockHasher hasher;

    public PromptBlocks(SimTokenizer tokenizer, ChatTemplate template, int blockSize) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.hasher = new BlockHasher(blockSize);
    }

    public int blockSize() {
        return hasher.blockSize();
    }

    /** Tokens in {@code text}, by the model's tokenizer. */
    public int countTokens(String text) {
        return tokenizer.encode(text).length;
    }

    /** A chat request; {@code salt} is its cache_salt (null for none). */
    public RouteRequest chat(List<ChatMessage> messages, String salt, String sessionKey) {
        int[] tokens = tokenizer.encode(template.render(messages, true));
        // SGLang's router matches on the messages' text joined with spaces (sgl-router request text).
        String text = messages.stream().map(ChatMessage::content).collect(Collectors.joining(" "));
        return new RouteRequest(hasher.hashes(tokens, salt), tokens.length, hasher.blockSize(), text, sessionKey);
    }

    /** A text completion request. */
    public RouteRequest completion(String prompt, String salt, String sessionKey) {
        int[] tokens = tokenizer.encode(prompt);
        return new RouteRequest(hasher.hashes(tokens, salt), tokens.length, hasher.blockSize(), prompt, sessionKey);
    }

    /** A completion request given as token ids. */
    public RouteRequest tokens(int[] tokens, String salt, String sessionKey) {
        return new RouteRequest(hasher.hashes(tokens, salt), tokens.length, hasher.blockSize(), null, sessionKey);
    }
}
