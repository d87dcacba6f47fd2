package com.orderintel.advisor.llm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RedisEmbeddingCache} against the real Redis on 127.0.0.1:6379, under a key prefix unique to each test. */
class RedisEmbeddingCacheTest {

    private final String prefix = "test:llm:" + UUID.randomUUID() + ":";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LettuceConnectionFactory redis;

    @BeforeEach
    void connect() {
        redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        redis.afterPropertiesSet();
        redis.start();
    }

    @AfterEach
    void cleanUp() {
        try (RedisConnection c = redis.getConnection()) {
            Set<byte[]> keys = c.keyCommands().keys((prefix + "*").getBytes(StandardCharsets.UTF_8));
            if (keys != null && !keys.isEmpty()) {
                c.keyCommands().del(keys.toArray(byte[][]::new));
            }
        }
        redis.destroy();
    }

    private RedisEmbeddingCache cache(long maxEntries) {
        return new RedisEmbeddingCache(redis, new LlmProperties.Cache(true, prefix, Duration.ofMinutes(5), maxEntries),
                new LlmMetrics(meters));
    }

    private double count(String result) {
        var c = meters.find("advisor.llm.cache.requests").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void storesCompactFloatArraysWithTtlAndHitsOnSecondRead() {
        RedisEmbeddingCache cache = cache(100);
        float[] v = {0.25f, -1.5f, 3.0e-7f, Float.MAX_VALUE};

        assertThat(cache.get("m1", "note")).isEmpty();
        cache.put("m1", "note", v);
        assertThat(cache.get("m1", "note")).hasValueSatisfying(got -> assertThat(got).containsExactly(v));
        assertThat(cache.get("m2", "note")).isEmpty();                     // other model, other key

        try (RedisConnection c = redis.getConnection()) {
            byte[] key = cache.key("m1", "note");
            assertThat(new String(key, StandardCharsets.UTF_8)).matches(prefix.replace(".", "\\.") + "m1:[0-9a-f]{64}");
            assertThat(c.stringCommands().get(key)).hasSize(16);          // 4 bytes per dimension
            assertThat(c.keyCommands().ttl(key)).isBetween(1L, 300L);
        }
        assertThat(count("hit")).isEqualTo(1);
        assertThat(count("miss")).isEqualTo(2);
    }

    @Test
    void evictsLeastRecentlyUsedBeyondMaxEntries() throws Exception {
        RedisEmbeddingCache cache = cache(3);
        for (String t : new String[] {"a", "b", "c"}) {
            cache.put("m", t, new float[] {1f});
            Thread.sleep(3);                                                // distinct access times
        }
        assertThat(cache.get("m", "a")).isPresent();                        // a becomes most recent
        Thread.sleep(3);
        cache.put("m", "d", new float[] {2f});                              // 4 > 3: evicts b

        assertThat(cache.get("m", "b")).isEmpty();
        assertThat(cache.get("m", "a")).isPresent();
        assertThat(cache.get("m", "c")).isPresent();
        assertThat(cache.get("m", "d")).isPresent();
        try (RedisConnection c = redis.getConnection()) {
            assertThat(c.zSetCommands().zCard(cache.lruKey())).isEqualTo(3);
        }
    }

    @Test
    void redisDownIsAMissAndCountedNotAFailure() {
        LettuceConnectionFactory down = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        down.afterPropertiesSet();
        down.start();
        try {
            RedisEmbeddingCache cache = new RedisEmbeddingCache(down,
                    new LlmProperties.Cache(true, prefix, Duration.ofMinutes(5), 10), new LlmMetrics(meters));
            assertThat(cache.get("m", "text")).isEmpty();
            cache.put("m", "text", new float[] {1f});
            assertThat(count("error")).isEqualTo(2);
            assertThat(count("miss")).isZero();
        } finally {
            down.destroy();
        }
    }
}
