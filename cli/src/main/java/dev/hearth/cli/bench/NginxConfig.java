package dev.hearth.cli.bench;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx as an operator would put it in front of engines: round robin over an upstream with
 * keep-alive connections, nothing buffered. Paths are relative to the prefix ({@code -p}) so
 * nothing outside the benchmark's folder is written; it runs in the foreground so the benchmark
 * owns its lifetime.
 *
 * @param port             where it listens, on loopback
 * @param engines          the upstream servers
 * @param concurrency      the load generator's connections: the idle upstream connections kept
 * @param missingTempPaths modules compiled out of this nginx ({@code fastcgi}, {@code uwsgi},
 *                         {@code scgi}), whose temp-path directives it would refuse
 */
public record NginxConfig(int port, List<URI> engines, int concurrency, Set<String> missingTempPaths) {
    private static final List<String> MODULES_WITH_TEMP_PATHS = List.of("fastcgi", "uwsgi", "scgi");
    private static final Pattern WITHOUT = Pattern.compile("--without-http_(\\w+)_module");

    /** The modules among fastcgi, uwsgi and scgi that {@code nginx -V}'s configure arguments leave out. */
    public static Set<String> missingTempPaths(String versionOutput) {
        Set<String> missing = new java.util.TreeSet<>();
        Matcher m = WITHOUT.matcher(versionOutput);
        while (m.find()) {
            if (MODULES_WITH_TEMP_PATHS.contains(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        return missing;
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("# Written by hearth bench proxy: a plain round-robin reverse proxy in front of the engines.\n");
        s.append("worker_processes auto;\n");
        s.append("daemon off;\n");
        s.append("pid nginx.pid;\n");
        s.append("error_log stderr warn;\n");
        // Each proxied request holds two connections, the client's and the upstream's.
        s.append("events {\n    worker_connections ").append(Math.max(1_024, 4 * concurrency)).append(";\n}\n");
        s.append("http {\n");
        s.append("    access_log off;\n");
        // Debian's nginx is built with temp paths under /var/lib/nginx, which only root may create;
        // every temp path this build knows is moved into the prefix.
        s.append("    client_body_temp_path temp/body;\n");
        s.append("    proxy_temp_path temp/proxy;\n");
        for (String module : MODULES_WITH_TEMP_PATHS) {
            if (!missingTempPaths.contains(module)) {
                s.append("    ").append(module).append("_temp_path temp/").append(module).append(";\n");
            }
        }
        // nginx closes a client connection after 1000 requests by default (keepalive_requests,
        // ngx_http_core_module); the other targets never do, so neither does this one.
        s.append("    keepalive_requests 1000000;\n");
        s.append("    upstream engines {\n");
        for (URI e : engines) {
            s.append("        server ").append(e.getHost()).append(':').append(e.getPort()).append(";\n");
        }
        // Upstream keep-alive needs HTTP/1.1 and an empty Connection header (ngx_http_upstream_module,
        // "keepalive"); idle connections are dropped at 20 s, before the engines' Jetty drops them at 30 s.
        s.append("        keepalive ").append(Math.max(16, concurrency)).append(";\n");
        s.append("        keepalive_requests 1000000;\n");
        s.append("        keepalive_timeout 20s;\n");
        s.append("    }\n");
        s.append("    server {\n");
        s.append("        listen 127.0.0.1:").append(port).append(";\n");
        s.append("        location / {\n");
        s.append("            proxy_pass http://engines;\n");
        s.append("            proxy_http_version 1.1;\n");
        s.append("            proxy_set_header Connection \"\";\n");
        s.append("            proxy_buffering off;\n");
        s.append("        }\n");
        s.append("    }\n");
        s.append("}\n");
        return s.toString();
    }
}
