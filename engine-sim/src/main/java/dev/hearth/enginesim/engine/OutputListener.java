package dev.hearth.enginesim.engine;

/** Receives a sequence's outputs, on the engine's thread: implementations must not block. */
@FunctionalInterface
public interface OutputListener {
    void onOutput(Output output);
}
