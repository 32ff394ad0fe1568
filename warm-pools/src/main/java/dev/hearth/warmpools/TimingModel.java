package dev.hearth.warmpools;

/** How long a replica of a model of {@code weightBytes} takes to start on a node of {@code pool}. */
public interface TimingModel {
    ColdStart coldStart(NodePool pool, long weightBytes);
}
