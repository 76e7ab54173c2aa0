package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The org's OAuth endpoint as the real camel-salesforce component uses it. */
class SalesforceSandboxLoginTest extends SalesforceSandboxTestSupport {

    @ParameterizedTest
    @EnumSource(AuthenticationType.class)
    void everyAuthTypeLogsInAndQueries(AuthenticationType type) {
        createContacts(List.of(Map.of("LastName", "Hassan", "Email", "layla.hassan@example.com")));

        String sf = component(type, component -> { });
        Map<String, Object> page = query(sf, "query", "SELECT Id, Email FROM Contact", 2000);

        assertThat(records(page)).extracting(record -> record.get("Email")).containsExactly("layla.hassan@example.com");
        assertThat(calls("token", 200)).isEqualTo(1);
    }

    @Test
    void tokenResponseCarriesTheInstanceUrlOfTheCallerAndTheOrgAndUserIds() throws Exception {
        HttpResponse<String> response = token("grant_type=password&client_id=sandbox-client-id"
                + "&client_secret=sandbox-client-secret&username=bridge%40sandbox.example.com&password=sandbox-password");

        assertStatus(response, 200);
        Map<String, Object> answer = parse(response.body());
        assertThat(answer.get("instance_url")).isEqualTo(loginUrl());
        assertThat((String) answer.get("id")).isEqualTo(loginUrl() + "/id/00D000000000001AAA/005000000000001AAA");
        assertThat(answer).containsKeys("access_token", "issued_at", "signature").containsEntry("token_type", "Bearer");
    }

    @Test
    void wrongPasswordFailsTheComponentStartWithInvalidGrant() {
        assertThatThrownBy(() -> component(AuthenticationType.USERNAME_PASSWORD, sf -> sf.setPassword("wrong")))
                .hasRootCauseInstanceOf(SalesforceException.class)
                .rootCause()
                .satisfies(cause -> {
                    SalesforceException failure = (SalesforceException) cause;
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(failure.getErrors()).extracting(error -> error.getErrorCode()).containsExactly("invalid_grant");
                });
    }

    @Test
    void wrongCredentialsOfEachGrantAnswerInvalidGrantAndNeverEchoTheSecret() {
        for (String form : List.of(
                "grant_type=password&client_id=sandbox-client-id&client_secret=nope-secret&username=bridge%40sandbox.example.com&password=sandbox-password",
                "grant_type=refresh_token&client_id=sandbox-client-id&refresh_token=nope-secret",
                "grant_type=client_credentials&client_id=other-client&client_secret=nope-secret",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=nope-secret")) {
            HttpResponse<String> response = token(form);

            assertThat(response.statusCode()).as(form).isEqualTo(400);
            assertThat(parse(response.body())).as(form).containsEntry("error", "invalid_grant").containsKey("error_description");
            assertThat(response.body()).doesNotContain("nope-secret");
        }
    }

    @Test
    void jwtSignedByAnUnknownKeyIsRefused() {
        assertThatThrownBy(() -> component(AuthenticationType.JWT, sf -> sf.setKeystore(keystore(JwtTestKeys.untrusted()))))
                .rootCause()
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("invalid_grant");
    }

    @Test
    void jwtForAnotherAudienceIsRefused() {
        assertThatThrownBy(() -> component(AuthenticationType.JWT, sf -> sf.setJwtAudience("https://elsewhere.example.com")))
                .rootCause()
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("audience");
    }

    @Test
    void jwtOfAnotherUserIsRefused() {
        assertThatThrownBy(() -> component(AuthenticationType.JWT, sf -> sf.setUserName("someone@sandbox.example.com")))
                .rootCause()
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("invalid_grant");
    }

    @Test
    void expiredTokenMakesTheComponentLogInAgainAtTheInstanceUrl() {
        createContacts(1, "expiry");
        String sf = component();
        query(sf, "query", "SELECT Id FROM Contact", 2000);

        CLOCK.advance(Duration.ofHours(2).plusMinutes(1));
        Map<String, Object> page = query(sf, "query", "SELECT Id FROM Contact", 2000);

        assertThat(records(page)).hasSize(1);
        assertThat(calls("query", 401)).isEqualTo(1);
        assertThat(calls("token", 200)).isEqualTo(2);
    }

    @Test
    void apiCallWithoutAValidTokenIsInvalidSession() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(loginUrl()
                        + "/services/data/v59.0/query/?q=SELECT+Id+FROM+Contact"))
                .header("Authorization", "Bearer not-a-token").GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(parseArray(response.body())).containsExactly(
                Map.of("message", "Session expired or invalid", "errorCode", "INVALID_SESSION_ID", "fields", List.of()));
    }

    private HttpResponse<String> token(String form) {
        return send(HttpRequest.newBuilder(URI.create(loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
}
