package dev.hearth.platform.replicas;

import dev.hearth.platform.config.ModelConfig;

/**
 * One replica to start: its id, what to serve, and the loopback ports chosen for it (the HTTP API,
 * and the ZeroMQ publisher of its KV events).
 */
public record LaunchSpec(String replicaId, ModelConfig config, String host, int port, int kvEventsPort) {

    /** The KV events endpoint subscribers connect to. */
    public String kvEventsUrl() {
        return "tcp://" + host + ":" + kvEventsPort;
    }

    /**
     * The {@code --kv-events-config} JSON both engines take (vllm/config/kv_events.py KVEventsConfig;
     * sglang/srt/disaggregation/kv_events.py KVEventsConfig has the same fields but no
     * enable_kv_cache_events, and pydantic ignores it). The endpoint is {@code tcp://*:PORT}: vLLM's
     * ZmqEventPublisher binds only an endpoint with a wildcard and connects to any other, and every
     * gateway connects to it. (So the events, token ids included, listen on every interface.)
     */
    public String kvEventsConfig() {
        return "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:" + kvEventsPort
                + "\",\"topic\":\"kv-events\"}";
    }
}
