package dev.hearth.cli.bench;

import java.net.URI;
import java.util.List;

/**
 * HAProxy as an operator would put it in front of engines: HTTP mode, round robin, HAProxy's
 * default keep-alive on both sides and its default connection reuse ({@code http-reuse safe}).
 *
 * @param port        where it listens, on loopback
 * @param engines     the backend servers
 * @param concurrency the load generator's connections, to size {@code maxconn}
 */
public record HaproxyConfig(int port, List<URI> engines, int concurrency) {

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("# Written by hearth bench proxy: a plain round-robin reverse proxy in front of the engines.\n");
        s.append("global\n");
        s.append("    maxconn ").append(Math.max(1_024, 4 * concurrency)).append('\n');
        s.append("defaults\n");
        s.append("    mode http\n");
        // Without timeouts HAProxy warns at start; these are far above any benchmark request.
        s.append("    timeout connect 5s\n");
        s.append("    timeout client 60s\n");
        s.append("    timeout server 60s\n");
        s.append("frontend bench\n");
        s.append("    bind 127.0.0.1:").append(port).append('\n');
        s.append("    default_backend engines\n");
        s.append("backend engines\n");
        s.append("    balance roundrobin\n");
        for (int i = 0; i < engines.size(); i++) {
            URI e = engines.get(i);
            s.append("    server engine-").append(i).append(' ').append(e.getHost()).append(':').append(e.getPort()).append('\n');
        }
        return s.toString();
    }
}
