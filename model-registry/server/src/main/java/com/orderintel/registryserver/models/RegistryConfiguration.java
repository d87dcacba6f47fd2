package com.orderintel.registryserver.models;

import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registryserver.RegistryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one store this server serves; its alias policy is written from configuration when configuration names one. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RegistryConfiguration.class);

    @Bean(destroyMethod = "close")
    ModelStore modelStore(RegistryProperties properties) {
        ModelStore store = ModelStores.open(properties.uri());
        if (properties.approval() != null) {
            AliasPolicy policy = new AliasPolicy(properties.approval().stream().map(String::strip).filter(s -> !s.isEmpty()).toList(),
                    properties.publicUrl());
            if (!policy.equals(store.policy())) {
                store.policy(policy);
                log.info("alias policy of {} written: approval needed for {}", store.location(), policy.approval());
            }
        }
        return store;
    }
}
