package dev.hearth.cli.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A general-purpose reverse proxy installed on this machine, run as a plain round-robin balancer
 * in front of the same engines: what Hearth's routing is weighed against.
 */
public enum PlainProxy {
    NGINX("nginx", "apt-get install nginx-light"),
    HAPROXY("haproxy", "apt-get install haproxy");

    /** Where Debian's packages put daemons; searched after PATH, which often lacks them for other users than root. */
    private static final List<Path> SBIN = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"));

    private final String executable;
    private final String install;

    PlainProxy(String executable, String install) {
        this.executable = executable;
        this.install = install;
    }

    /** The target's name in the report, also the executable's. */
    public String label() {
        return executable;
    }

    /** What the report says when it is missing. */
    public String notInstalled() {
        return "not installed (" + install + ")";
    }

    /** The executable on {@code pathVariable} (PATH's syntax; may be null), else in /usr/sbin or /usr/local/sbin. */
    public Optional<Path> locate(String pathVariable) {
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String d : pathVariable.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.addAll(SBIN);
        return dirs.stream().map(d -> d.resolve(executable)).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /**
     * Writes this proxy's configuration into {@code folder} and returns the command that runs it in
     * the foreground, listening on {@code port} in front of {@code engines}.
     */
    public List<String> prepare(Path binary, Path folder, int port, List<URI> engines, int concurrency)
            throws IOException, InterruptedException {
        Files.createDirectories(folder);
        return switch (this) {
            case NGINX -> {
                Files.createDirectories(folder.resolve("temp"));
                Path conf = folder.resolve("nginx.conf");
                Files.writeString(conf, new NginxConfig(port, engines, concurrency,
                        NginxConfig.missingTempPaths(versionOutput(binary))).render());
                // -p: relative paths (pid, temp) resolve in the folder; -c: this configuration only.
                yield List.of(binary.toString(), "-p", folder + File.separator, "-c", conf.toString());
            }
            case HAPROXY -> {
                Path conf = folder.resolve("haproxy.cfg");
                Files.writeString(conf, new HaproxyConfig(port, engines, concurrency).render());
                // -db: stay in the foreground, not a daemon.
                yield List.of(binary.toString(), "-f", conf.toString(), "-db");
            }
        };
    }

    /** {@code nginx -V}: the version and configure arguments, which it prints on stderr. */
    private static String versionOutput(Path nginx) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(nginx.toString(), "-V").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
