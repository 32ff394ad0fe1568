package dev.hearth.platform.replicas;

import java.util.List;

/**
 * The command line that starts one replica of an engine. One implementation per way to run it:
 * {@link SimulatorCommand}, {@link VllmCommand}, {@link SglangCommand}.
 */
public interface EngineCommand {

    /** The whole command line, executable first. */
    List<String> argv(LaunchSpec spec);

    /** Whether the replica publishes KV events the router can key (then at {@link LaunchSpec#kvEventsUrl()}). */
    boolean publishesKvEvents(LaunchSpec spec);

    /** Null when the command can run here, else why not and what to do. */
    String unavailableReason();

    /** How long a replica may take from start to answering /v1/models. */
    java.time.Duration startTimeout();
}
