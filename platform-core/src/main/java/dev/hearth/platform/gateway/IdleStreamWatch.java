package dev.hearth.platform.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends engine responses that go quiet: each response body being relayed is watched, every read
 * that returns bytes marks it alive, and one that has sent nothing for the idle timeout is closed,
 * which makes the relaying thread's blocked read fail at once (the JDK client's response stream
 * wakes its reader on close). This is nginx's {@code proxy_read_timeout} (a timeout between two
 * successive reads, not for the whole response) and Envoy's route {@code idle_timeout}. One virtual
 * thread checks every watched stream a few times per timeout; a read costs one volatile write.
 */
final class IdleStreamWatch implements AutoCloseable {
    private final long idleNanos;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Thread checker;
    private volatile boolean closed;

    /** A response body under watch: {@link #alive} after each read, {@link #close} when done with it. */
    final class Watched implements AutoCloseable {
        private final InputStream in;
        private volatile long lastRead = System.nanoTime();
        private volatile boolean stalled;

        private Watched(InputStream in) {
            this.in = in;
        }

        void alive() {
            lastRead = System.nanoTime();
        }

        /** Whether the watch closed the stream because it went quiet. */
        boolean stalled() {
            return stalled;
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }

    IdleStreamWatch(Duration idle) {
        this.idleNanos = idle.toNanos();
        long every = Math.max(10, Math.min(250, idle.toMillis() / 4));
        this.checker = Thread.ofVirtual().name("idle-stream-watch").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                check();
            }
        });
    }

    Duration idle() {
        return Duration.ofNanos(idleNanos);
    }

    Watched watch(InputStream in) {
        Watched w = new Watched(in);
        watched.add(w);
        return w;
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            if (now - w.lastRead > idleNanos) {
                w.stalled = true;
                watched.remove(w);
                try {
                    w.in.close();
                } catch (IOException ignored) {
                    // closing is all we wanted; the reader sees it fail
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        checker.interrupt();
    }
}
