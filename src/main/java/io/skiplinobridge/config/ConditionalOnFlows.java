package io.skiplinobridge.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** The bean is part of the bridge's flows: absent under the sandbox-only profile. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "bridge.flows.enabled", havingValue = "true", matchIfMissing = true)
public @interface ConditionalOnFlows {
}
