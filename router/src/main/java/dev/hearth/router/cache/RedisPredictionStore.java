package dev.hearth.router.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction cache in Redis (lettuce), shared by every gateway pointed at the same server:
 * {@code SET key value EX ttl} and {@code GET key} under a key prefix. Redis being down never fails a
 * request: each command has a short timeout, a failure is a miss, one log line says Redis went away
 * (and one that it is back), and {@link #available()} reports it for metrics. Lettuce reconnects by
 * itself; commands are not queued while disconnected.
 */
public final class RedisPredictionStore implements PredictionStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPredictionStore.class);
    private static final String PREFIX = "hearth:prediction:";

    private final RedisClient client;
    private final Duration ttl;
    private final String where;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean available;

    public RedisPredictionStore(String uri, Duration ttl, Duration commandTimeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(commandTimeout);
        this.where = redisUri.getHost() + ":" + redisUri.getPort();
        this.ttl = ttl;
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        connect();
    }

    private synchronized RedisCommands<String, byte[]> commands() {
        if (connection == null) {
            connect();
        }
        return connection == null ? null : connection.sync();
    }

    private synchronized void connect() {
        try {
            connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            mark(true, null);
        } catch (RuntimeException e) {
            connection = null;
            mark(false, e);
        }
    }

    private void mark(boolean up, RuntimeException why) {
        if (up && !available) {
            LOG.info("prediction cache: Redis at {} is answering", where);
        } else if (!up && available) {
            LOG.warn("prediction cache: Redis at {} stopped answering ({}); serving without the cache", where,
                    why == null ? "?" : why.getMessage());
        } else if (!up && connection == null && why != null && LOG.isDebugEnabled()) {
            LOG.debug("Redis still down: {}", why.getMessage());
        }
        available = up;
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            RedisCommands<String, byte[]> c = commands();
            if (c == null) {
                return Optional.empty();
            }
            byte[] v = c.get(PREFIX + key);
            mark(true, null);
            return Optional.ofNullable(v);
        } catch (RuntimeException e) {
            mark(false, e);
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, byte[] value) {
        try {
            RedisCommands<String, byte[]> c = commands();
            if (c != null) {
                c.set(PREFIX + key, value, SetArgs.Builder.ex(ttl.toSeconds()));
                mark(true, null);
            }
        } catch (RuntimeException e) {
            mark(false, e);
        }
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

}
