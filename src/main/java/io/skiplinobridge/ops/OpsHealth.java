package io.skiplinobridge.ops;

import org.springframework.boot.actuate.health.Status;

/**
 * The health status of a part that works but not fully, because of something outside this instance
 * (Skiplino's circuit open, a backlog older than its threshold, a flow held by an API limit).
 *
 * <p>Why not DOWN: DOWN answers 503 and means "this instance is broken", which makes orchestrators
 * restart it or take it out of rotation. A downstream outage is not fixed by a restart, and the
 * bridge must keep accepting webhooks meanwhile (they wait durably in the inbox). DEGRADED is mapped to
 * HTTP 200 and ordered between OUT_OF_SERVICE and UP ({@code management.endpoint.health.status.*}), so
 * {@code /actuator/health} shows the problem in its status and details while staying 200, and the
 * readiness group does not contain these contributors at all.
 */
final class OpsHealth {

    static final Status DEGRADED = new Status("DEGRADED");

    private OpsHealth() {
    }
}
