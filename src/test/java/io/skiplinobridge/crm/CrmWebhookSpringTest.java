package io.skiplinobridge.crm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole bridge on a random port with the real H2 store, accepting {@link #CURRENT} and
 * {@link #PREVIOUS} (a rotation in progress). Test classes with this annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.webhook.secrets=" + CrmWebhookSpringTest.CURRENT + " " + CrmWebhookSpringTest.PREVIOUS,
        // what the sync engine does with stored changes is not under test here
        "bridge.sync.enabled=false",
        // the tests count stored rows exactly: no demo Contacts polled from the Salesforce sandbox meanwhile
        "bridge.sandbox.salesforce.seed-contacts=0"})
@interface CrmWebhookSpringTest {

    String CURRENT = "whsec_AQv8X03XsrpiJvvQV0E38JngDZkGvTbUJ618yL4+Tww=";
    String PREVIOUS = "whsec_hi/5+vFtmGII/SJD0Pqq26mEPfqkAs4VMU0+ewo/VuM=";
    /** A well-formed secret the bridge does not know. */
    String UNKNOWN = "whsec_i15kXgypACnHLbn0H82FE6NVu7jEs820eGjcNYTH0sM=";
}
