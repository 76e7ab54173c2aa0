package io.skiplinobridge.sandbox.salesforce;

import java.util.Map;

import io.skiplinobridge.config.ConditionalOnSandbox;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /sandbox/salesforce/services/oauth2/*}: the login URL and, because camel-salesforce logs in
 * again at {@code {instanceUrl}/services/oauth2/token}, the instance URL's token endpoint too.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping(SalesforceSandboxWebConfiguration.BASE_PATH + "/services/oauth2")
class SalesforceOAuthController {

    private final SalesforceSandboxAuth auth;

    SalesforceOAuthController(SalesforceSandboxAuth auth) {
        this.auth = auth;
    }

    @RequestMapping(path = "/token", method = RequestMethod.POST)
    @SalesforceCall(value = "token", dataApi = false)
    void token(@RequestParam Map<String, String> form, HttpServletRequest request, HttpServletResponse response) {
        SalesforceJson.respond(response, 200, auth.token(form, instanceUrl(request)));
    }

    /** Answers 200 for any token, known or not, as RFC 7009 asks of a revocation endpoint. */
    @RequestMapping(path = "/revoke", method = {RequestMethod.GET, RequestMethod.POST})
    @SalesforceCall(value = "revoke", dataApi = false)
    void revoke(@RequestParam(name = "token", required = false) String token, HttpServletResponse response) {
        auth.revoke(token);
        response.setStatus(200);
    }

    @ExceptionHandler(OAuthException.class)
    void refused(OAuthException refusal, HttpServletResponse response) {
        SalesforceJson.respond(response, 400, Map.of("error", refusal.error(), "error_description", refusal.getMessage()));
    }

    /** The instance URL as this caller reaches the sandbox: its own scheme, host and port. */
    private static String instanceUrl(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + SalesforceSandboxWebConfiguration.BASE_PATH;
    }
}
