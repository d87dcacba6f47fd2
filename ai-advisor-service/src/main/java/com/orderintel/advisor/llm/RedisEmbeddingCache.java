package com.orderintel.advisor.llm;

import com.orderintel.prompt.PromptParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.zset.Tuple;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Redis embedding cache. Key {@code <prefix><model>:<sha256(text)>}, value the raw little-endian float32 array
 * (4 bytes per dimension, 6 KB for 1536 dims - a JSON array would be about 3x larger), expiring after the TTL.
 *
 * <p>Size bound: a sorted set {@code <prefix>lru} scores each key by its last access time (ms); after a write
 * that takes it above {@code maxEntries}, the least recently used members are popped (ZPOPMIN) and their keys
 * deleted. Members whose key already expired by TTL stay in the set until popped; that only makes the bound
 * slightly conservative. The bound is approximate under concurrent writers (check-then-trim is not atomic).
 *
 * <p>Redis being down never fails an enrichment: every error is logged at debug, counted as
 * {@code result=error} and treated as a miss.
 */
public class RedisEmbeddingCache implements EmbeddingCache {

    private static final Logger log = LoggerFactory.getLogger(RedisEmbeddingCache.class);

    private final RedisConnectionFactory redis;
    private final String prefix;
    private final Duration ttl;
    private final long maxEntries;
    private final LlmMetrics metrics;

    public RedisEmbeddingCache(RedisConnectionFactory redis, LlmProperties.Cache cache, LlmMetrics metrics) {
        this.redis = redis;
        this.prefix = cache.keyPrefix();
        this.ttl = cache.ttl();
        this.maxEntries = cache.maxEntries();
        this.metrics = metrics;
    }

    @Override
    public Optional<float[]> get(String model, String text) {
        byte[] key = key(model, text);
        try {
            byte[] value = withConnection(c -> {
                byte[] v = c.stringCommands().get(key);
                if (v != null) {
                    c.zSetCommands().zAdd(lruKey(), System.currentTimeMillis(), key);
                }
                return v;
            });
            if (value == null) {
                metrics.cache("miss");
                return Optional.empty();
            }
            if (value.length == 0 || value.length % Float.BYTES != 0) {
                metrics.cache("error");
                log.warn("embedding cache entry {} has {} bytes, not a float32 array; ignored",
                        new String(key, StandardCharsets.UTF_8), value.length);
                return Optional.empty();
            }
            metrics.cache("hit");
            return Optional.of(decode(value));
        } catch (RuntimeException e) {
            metrics.cache("error");
            log.debug("embedding cache read failed, treated as a miss: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void put(String model, String text, float[] embedding) {
        byte[] key = key(model, text);
        try {
            withConnection(c -> {
                c.stringCommands().set(key, encode(embedding), Expiration.from(ttl), SetOption.upsert());
                c.zSetCommands().zAdd(lruKey(), System.currentTimeMillis(), key);
                Long size = c.zSetCommands().zCard(lruKey());
                if (size != null && size > maxEntries) {
                    Set<Tuple> evicted = c.zSetCommands().zPopMin(lruKey(), size - maxEntries);
                    if (evicted != null && !evicted.isEmpty()) {
                        c.keyCommands().del(evicted.stream().map(Tuple::getValue).toArray(byte[][]::new));
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            metrics.cache("error");
            log.debug("embedding cache write failed, entry dropped: {}", e.toString());
        }
    }

    byte[] key(String model, String text) {
        return (prefix + model + ":" + PromptParser.sha256(text.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] lruKey() {
        return (prefix + "lru").getBytes(StandardCharsets.UTF_8);
    }

    private <T> T withConnection(Function<RedisConnection, T> action) {
        try (RedisConnection c = redis.getConnection()) {
            return action.apply(c);
        }
    }

    static byte[] encode(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        return buf.array();
    }

    static float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
