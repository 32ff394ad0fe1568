package dev.hearth.platform.shared;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A redis-server process of the test's own on a free port, so stopping it disturbs nothing else. */
final class RedisServer implements AutoCloseable {
    final int port;
    private Process process;

    RedisServer() throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        start();
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", Files.createTempDirectory("redis").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not start on " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Waits until {@code link} has noticed Redis answering again and run its reconcile hooks. */
    static void awaitReturn(RedisLink link) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!link.available()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Redis never answered again");
            }
            Thread.sleep(50);
        }
        Thread.sleep(1_200); // one watcher tick: the hooks have run
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
