package dev.hearth.enginesim.engine;

/** Why a sequence ended, with the wire names vLLM and the OpenAI API use. */
public enum FinishReason {
    STOP("stop"),
    LENGTH("length"),
    ABORT("abort");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
