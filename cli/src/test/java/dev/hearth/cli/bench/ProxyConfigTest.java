package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated nginx and HAProxy configurations: round robin over the engines, connections kept alive. */
class ProxyConfigTest {
    private static final List<URI> ENGINES = List.of(URI.create("http://127.0.0.1:41001"), URI.create("http://127.0.0.1:41002"));

    @Test
    void nginxBalancesOverKeptAliveUpstreamConnectionsWithoutBuffering() {
        String conf = new NginxConfig(18080, ENGINES, 32, Set.of()).render();
        assertTrue(conf.contains("daemon off;"), "foreground, so the benchmark owns it");
        assertTrue(conf.contains("    upstream engines {\n        server 127.0.0.1:41001;\n        server 127.0.0.1:41002;\n"
                + "        keepalive 32;\n"), conf);
        assertTrue(conf.contains("listen 127.0.0.1:18080;"), conf);
        assertTrue(conf.contains("proxy_pass http://engines;"), conf);
        assertTrue(conf.contains("proxy_http_version 1.1;"), conf);
        assertTrue(conf.contains("proxy_set_header Connection \"\";"), "upstream keep-alive needs the header cleared");
        assertTrue(conf.contains("proxy_buffering off;"), conf);
        assertTrue(conf.contains("worker_connections 1024;"), conf);
        assertFalse(conf.contains("/var/"), "every path inside the prefix");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            assertTrue(conf.contains(temp + "_temp_path temp/"), temp);
        }
        assertEquals(conf.chars().filter(c -> c == '{').count(), conf.chars().filter(c -> c == '}').count(), "braces balance");
    }

    @Test
    void nginxLeavesOutTempPathsOfModulesNotBuiltIn() {
        String versionOutput = """
                nginx version: nginx/1.18.0
                configure arguments: --with-cc-opt=-O2 --without-http_uwsgi_module --without-http_scgi_module \
                --without-http_gzip_module --http-proxy-temp-path=/var/lib/nginx/proxy
                """;
        Set<String> missing = NginxConfig.missingTempPaths(versionOutput);
        assertEquals(Set.of("uwsgi", "scgi"), missing, "gzip has no temp path");
        String conf = new NginxConfig(18080, ENGINES, 600, missing).render();
        assertTrue(conf.contains("fastcgi_temp_path"), conf);
        assertFalse(conf.contains("uwsgi_temp_path"), conf);
        assertFalse(conf.contains("scgi_temp_path"), conf);
        assertTrue(conf.contains("worker_connections 2400;"), "four per load connection above the floor");
        assertTrue(conf.contains("keepalive 600;"), conf);
    }

    @Test
    void haproxyBalancesRoundRobinInHttpMode() {
        String conf = new HaproxyConfig(18081, ENGINES, 32).render();
        assertTrue(conf.contains("\n    mode http\n"), conf);
        assertTrue(conf.contains("\n    balance roundrobin\n"), conf);
        assertTrue(conf.contains("\n    bind 127.0.0.1:18081\n"), conf);
        assertTrue(conf.contains("\n    server engine-0 127.0.0.1:41001\n    server engine-1 127.0.0.1:41002\n"), conf);
        assertTrue(conf.contains("timeout client"), "no start-up warning for missing timeouts");
        assertTrue(conf.contains("maxconn 1024"), conf);
    }
}
