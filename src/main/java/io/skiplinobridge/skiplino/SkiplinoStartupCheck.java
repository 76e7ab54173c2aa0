package io.skiplinobridge.skiplino;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Refuses to start, before any bean exists, when customer sync would run with Skiplino settings that
 * cannot be right: no API key or one that is not a secret {@code sk_} key (customer CRUD needs it), no
 * base URL, a base URL that would send the key over plain http to another machine, or HttpClient's
 * header/wire DEBUG logging, which would write the key to the log.
 *
 * <p>Applies while {@code bridge.flows.enabled} and {@code bridge.sync.enabled} are both true. In sandbox
 * mode an empty base URL and key mean the embedded sandbox and its secret key, which pass; values set
 * explicitly are checked in every mode.
 */
final class SkiplinoStartupCheck implements BeanFactoryPostProcessor {

    static final String HEADER_LOGGER = "org.apache.hc.client5.http.headers";
    static final String WIRE_LOGGER = "org.apache.hc.client5.http.wire";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Environment environment;

    SkiplinoStartupCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        refusal(environment, logger -> LoggerFactory.getLogger(logger).isDebugEnabled()).ifPresent(refusal -> {
            throw refusal;
        });
    }

    /**
     * @param debugEnabled whether the named logger is on DEBUG
     */
    static Optional<SkiplinoStartupRefusedException> refusal(Environment environment, Predicate<String> debugEnabled) {
        if (!environment.getProperty("bridge.flows.enabled", Boolean.class, true)
                || !environment.getProperty("bridge.sync.enabled", Boolean.class, true)) {
            return Optional.empty();
        }
        boolean sandbox = environment.getProperty("bridge.sandbox.enabled", Boolean.class, false);
        SkiplinoProperties skiplino = Binder.get(environment).bindOrCreate("skiplino", SkiplinoProperties.class);
        String key = skiplino.apiKey();
        if (key.isEmpty() && !sandbox) {
            return refuse("SKIPLINO_API_KEY (skiplino.api-key) is not set: customer sync needs Skiplino's secret key (sk_...)",
                    "Set SKIPLINO_API_KEY to the company's secret API key, or unset it to run in sandbox mode.");
        }
        if (!key.isEmpty() && !key.startsWith("sk_")) {
            String kind = key.startsWith("pk_") ? "a public key (pk_...)" : "not a Skiplino secret key (sk_...)";
            return refuse("SKIPLINO_API_KEY (skiplino.api-key) is " + kind
                            + ": customer create, update and delete need the secret key (sk_...)",
                    "Set SKIPLINO_API_KEY to the company's secret API key.");
        }
        String baseUrl = skiplino.baseUrl();
        if (baseUrl.isEmpty() && !sandbox) {
            return refuse("SKIPLINO_BASE_URL (skiplino.base-url) is not set",
                    "Set SKIPLINO_BASE_URL to the Skiplino External API v1 URL, e.g. https://api-dev.skiplino.com/external/v1.");
        }
        if (!baseUrl.isEmpty()) {
            Optional<String> urlProblem = urlProblem(baseUrl);
            if (urlProblem.isPresent()) {
                return refuse("SKIPLINO_BASE_URL (skiplino.base-url) " + urlProblem.get(),
                        "Use the https URL of the Skiplino External API v1 (plain http only for a loopback test server).");
            }
        }
        if (!key.isEmpty() && (debugEnabled.test(HEADER_LOGGER) || debugEnabled.test(WIRE_LOGGER))) {
            return refuse("DEBUG logging of " + HEADER_LOGGER + " or " + WIRE_LOGGER
                            + " would write the Skiplino API key to the log",
                    "Remove the DEBUG level of those two loggers; every other org.apache.hc logger may be on DEBUG.");
        }
        return Optional.empty();
    }

    private static Optional<String> urlProblem(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("is not an http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials; the API key goes in SKIPLINO_API_KEY");
        }
        if (scheme.equals("http") && !isLoopback(host)) {
            return Optional.of("uses plain http to " + host + ": the API key must only travel over https "
                    + "(http is allowed for loopback hosts only)");
        }
        return Optional.empty();
    }

    /** localhost, 127.0.0.0/8 or ::1, decided from the literal: no DNS lookup at start-up. */
    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(bare).matches() && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    private static Optional<SkiplinoStartupRefusedException> refuse(String reason, String action) {
        return Optional.of(new SkiplinoStartupRefusedException(reason, action));
    }
}
