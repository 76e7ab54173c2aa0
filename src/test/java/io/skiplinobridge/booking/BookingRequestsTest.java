package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;

class BookingRequestsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-30T10:00:00Z"));
    private final BookingRequests requests = new BookingRequests(clock);

    @Test
    void readsAWalkInAndAnAppointment() {
        BookingRequests.Book walkIn = requests.book(bytes("{\"serviceId\":\"6fe8fb8b12\",\"groupOfServiceId\":\"7c1f9a3b2d\"}"));
        assertThat(walkIn.time()).isNull();
        assertThat(walkIn.toSkiplino("9f2c8b7a4e1d6c3f0a5b8e2d7c4f1a9b").customerId())
                .isEqualTo("9f2c8b7a4e1d6c3f0a5b8e2d7c4f1a9b");

        BookingRequests.Book appointment = requests.book(bytes("""
                {"serviceId": "8c4f1a6e2b", "groupOfServiceId": "4e2b8c1d95", "time": "2026-07-01T12:30:00+03:00",
                 "options": {"accountType": "savings"}, "location": {"lat": 26.2361, "lng": 50.5436}}"""));
        assertThat(appointment.time()).isEqualTo(Instant.parse("2026-07-01T09:30:00Z"));
        assertThat(appointment.options()).isEqualTo(Map.of("accountType", "savings"));
        assertThat(appointment.location().lat()).isEqualTo(26.2361);
        assertThat(appointment.toSkiplino("x").customerExternalId()).isNull();
    }

    @Test
    void namesEveryBadFieldAtOnce() {
        ProblemDetail problem = refused("""
                {"serviceId": "has space", "time": "2026-07-01 09:30", "location": {"lat": 26}, "extra": 1,
                 "customerExternalId": "crm-1"}""");
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(pointers(problem)).containsExactlyInAnyOrder("/serviceId", "/groupOfServiceId", "/time",
                "/location/lng", "/extra", "/customerExternalId");
        assertThat(problem.getDetail()).endsWith("Nothing was sent to Skiplino.");
    }

    @Test
    void wellFormedButImpossibleValuesAre422() {
        ProblemDetail past = refused("{\"serviceId\":\"a\",\"groupOfServiceId\":\"b\",\"time\":\"2026-06-30T09:59:59Z\"}");
        assertThat(past.getStatus()).isEqualTo(422);
        assertThat(pointers(past)).containsExactly("/time");

        ProblemDetail far = refused("{\"serviceId\":\"a\",\"groupOfServiceId\":\"b\",\"location\":{\"lat\":-91,\"lng\":181}}");
        assertThat(far.getStatus()).isEqualTo(422);
        assertThat(pointers(far)).containsExactly("/location/lat", "/location/lng");
    }

    @Test
    void refusesBodiesThatAreNotOneJsonObject() {
        for (String body : List.of("", "nope", "[]", "\"x\"", "{\"serviceId\":\"a\",\"serviceId\":\"b\"}")) {
            BookingProblem problem = catchThrowableOfType(BookingProblem.class, () -> requests.book(bytes(body)));
            assertThat(problem).as(body).isNotNull();
            assertThat(problem.getBody().getStatus()).isEqualTo(400);
        }
    }

    @Test
    void rescheduleNeedsAFutureTime() {
        assertThat(requests.reschedule(bytes("{\"time\":\"2026-07-02T13:00:00.000Z\"}")))
                .isEqualTo(Instant.parse("2026-07-02T13:00:00Z"));
        assertThat(catchThrowableOfType(BookingProblem.class, () -> requests.reschedule(bytes("{}"))).getBody().getStatus())
                .isEqualTo(400);
        assertThat(catchThrowableOfType(BookingProblem.class,
                () -> requests.reschedule(bytes("{\"time\":\"2026-06-30T10:00:00Z\"}"))).getBody().getStatus()).isEqualTo(422);
    }

    @Test
    void datesAndKeys() {
        assertThat(requests.date(null)).isNull();
        assertThat(requests.date("2026-06-29")).isEqualTo(LocalDate.of(2026, 6, 29));
        assertThat(catchThrowableOfType(BookingProblem.class, () -> requests.date("2026-06-28")).getBody().getStatus())
                .isEqualTo(422);
        assertThat(catchThrowableOfType(BookingProblem.class, () -> requests.date("2026-02-30")).getBody().getStatus())
                .isEqualTo(400);
        assertThat(BookingRequests.idempotencyKey(null)).isNull();
        assertThat(BookingRequests.idempotencyKey("8a1f-4c")).isEqualTo("8a1f-4c");
        assertThat(catchThrowableOfType(BookingProblem.class, () -> BookingRequests.idempotencyKey("a b"))).isNotNull();
        assertThat(catchThrowableOfType(BookingProblem.class, () -> BookingRequests.idempotencyKey(""))).isNotNull();
    }

    private ProblemDetail refused(String body) {
        BookingProblem problem = catchThrowableOfType(BookingProblem.class, () -> requests.book(bytes(body)));
        assertThat(problem).isNotNull();
        return problem.getBody();
    }

    @SuppressWarnings("unchecked")
    private static List<String> pointers(ProblemDetail problem) {
        List<Map<String, String>> errors = (List<Map<String, String>>) problem.getProperties().get("errors");
        return errors.stream().map(error -> error.get("pointer")).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
