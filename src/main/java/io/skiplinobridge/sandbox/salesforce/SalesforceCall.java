package io.skiplinobridge.sandbox.salesforce;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler of the sandbox's Salesforce API: the kind it is counted under in the call stats,
 * and whether it is a data API call (needs a valid token, subject to {@code REQUEST_LIMIT_EXCEEDED}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface SalesforceCall {

    String value();

    boolean dataApi() default true;
}
