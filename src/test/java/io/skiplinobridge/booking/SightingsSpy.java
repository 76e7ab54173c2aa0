package io.skiplinobridge.booking;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.withSettings;

import java.util.List;

import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.tickets.TicketSightings;
import org.mockito.Answers;
import org.mockito.invocation.Invocation;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Lets a test see what the booking API handed to the ticket mirror: the bridge's {@link TicketSightings}
 * is wrapped in a Mockito spy, so it still does its work.
 */
@TestConfiguration(proxyBeanMethods = false)
class SightingsSpy {

    /** One call of {@code seen}. */
    record Sighting(String externalId, String skiplinoCustomer, Ticket ticket) {
    }

    @Bean
    static BeanPostProcessor spyOnTicketSightings() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof TicketSightings && !mockingDetails(bean).isMock()) {
                    return mock(bean.getClass(), withSettings().spiedInstance(bean)
                            .defaultAnswer(Answers.CALLS_REAL_METHODS));
                }
                return bean;
            }
        };
    }

    static List<Sighting> sightings(TicketSightings spy) {
        return mockingDetails(spy).getInvocations().stream()
                .filter(invocation -> invocation.getMethod().getName().equals("seen"))
                .map(SightingsSpy::sighting).toList();
    }

    private static Sighting sighting(Invocation invocation) {
        return new Sighting(invocation.getArgument(0), invocation.getArgument(1), invocation.getArgument(2));
    }
}
