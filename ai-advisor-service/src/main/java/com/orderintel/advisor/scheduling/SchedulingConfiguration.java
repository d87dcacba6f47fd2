package com.orderintel.advisor.scheduling;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Spring's scheduling, on for the whole service: Boot then provides the one {@code TaskScheduler} (a virtual thread per
 * run, as {@code spring.threads.virtual.enabled} is on) that runs the periodic refreshers ({@link Periodic}) and the
 * batch cron, and stops them with the context.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration {
}
