package com.orderintel.advisor.store;

import io.lettuce.core.ClientOptions;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis is an optimisation here (the LLM embedding cache, shared order claims), never what an answer waits for.
 * Lettuce by default accepts commands while its connection is down and holds them until it reconnects or the
 * command timeout (500 ms) passes, so with Redis away every enrichment waited about a second (a read and a write)
 * before falling back (the Redis fault, docs/reliability.md). Rejecting commands while disconnected makes the
 * fallback immediate; the connection watchdog still reconnects on its own when Redis returns.
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
