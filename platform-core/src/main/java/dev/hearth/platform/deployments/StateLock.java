package dev.hearth.platform.deployments;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Hearth per state directory: two would each start replicas for the same deployments. An OS
 * file lock, so a crashed holder releases it with its process; the file names the holder's pid.
 */
public final class StateLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link IllegalStateException} naming the process that holds it. */
    public static StateLock take(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path file = stateDir.resolve("hearth.lock");
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                String holder = Files.readString(file).trim();
                ch.close();
                throw new IllegalStateException("another Hearth (pid " + (holder.isEmpty() ? "?" : holder) + ") uses "
                        + stateDir + "; stop it or give another --state-dir");
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
            return new StateLock(ch, l);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use --state-dir " + stateDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending; the OS releases the lock anyway
        }
    }
}
