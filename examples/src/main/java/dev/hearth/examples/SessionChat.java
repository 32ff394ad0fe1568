package dev.hearth.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A multi-turn conversation streamed through Hearth with one {@code X-Session-Id}. Each turn sends
 * the whole history, so each prompt starts with the previous one: Hearth keeps the session on one
 * replica, whose prefix cache then already holds that history. Per turn it prints the replica, the
 * route ({@code session}) and {@code usage.prompt_tokens_details.cached_tokens}, which grows turn
 * by turn (vLLM reports it with {@code --enable-prompt-tokens-details}; the simulator always does).
 *
 * <pre>
 *   ./hearth serve &amp;
 *   ./mvnw -q -pl examples exec:java -Dexec.mainClass=dev.hearth.examples.SessionChat
 * </pre>
 */
public final class SessionChat {
    private SessionChat() {}

    /** What one turn showed. */
    public record Turn(String replica, String route, int promptTokens, int cachedTokens) {}

    static final String SYSTEM = "You are a patient guide to a city of canals, bridges, old harbours and markets. "
            + "Answer in a few sentences, name the streets and landmarks you mention, and suggest where to eat nearby.";
    static final List<String> QUESTIONS = List.of("Where should I start a walk on my first morning?",
            "What is worth seeing after that, before lunch?", "And where would you end the day?");

    /** Holds the conversation, streaming every answer to {@code out}. */
    public static List<Turn> converse(URI base, PrintStream out) throws IOException, InterruptedException {
        ChatClient client = new ChatClient(base, ChatClient.DEFAULT_MODEL);
        String session = "session-chat-" + UUID.randomUUID();
        List<ChatClient.Message> history = new ArrayList<>(List.of(new ChatClient.Message("system", SYSTEM)));
        List<Turn> turns = new ArrayList<>();
        out.println("session " + session);
        for (String question : QUESTIONS) {
            history.add(new ChatClient.Message("user", question));
            out.printf("turn %d > %s%n  < ", turns.size() + 1, question);
            out.flush();
            ChatClient.Answer a = client.stream(history, session, token -> {
                out.print(token);
                out.flush();
            });
            out.println();
            history.add(new ChatClient.Message("assistant", a.text())); // the next prompt starts with this whole turn
            Turn t = new Turn(a.replica(), a.route(), a.promptTokens(), a.cachedTokens());
            turns.add(t);
            out.printf("  replica %s, route %s, %d prompt tokens, %d cached%n", t.replica(), t.route(), t.promptTokens(),
                    t.cachedTokens());
        }
        return turns;
    }

    public static void main(String[] args) {
        Examples.main("SessionChat", () -> converse(ChatClient.hearthUrl(args), System.out));
    }
}
