package dev.hearth.enginesim.engine;

/**
 * One sampled token of a sequence as a client sees it. {@code text} is the token's text as far as
 * a stop string allows; {@code finish} is set on the last output; {@code arrival} and {@code time} are simulated seconds.
 */
public record Output(String requestId, int tokenId, String text, FillerText.Part part, int index,
                     FinishReason finish, String stopReason, int promptTokens, int cachedTokens,
                     double arrival, double time, double firstTokenTime) {

    /** Simulated seconds from arrival to the first token. */
    public double ttft() {
        return firstTokenTime - arrival;
    }
}
