package io.skiplinobridge.sandbox.skiplino;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.config.BridgeModeEnvironmentPostProcessor;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * One application context shared by every sandbox HTTP test, in the standalone {@code sandbox-only}
 * mode so that no bridge flow adds its own traffic to what the tests count; each test starts from a
 * reset sandbox.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles(BridgeModeEnvironmentPostProcessor.SANDBOX_ONLY_PROFILE)
abstract class SandboxApiTestSupport {

    @LocalServerPort
    int port;

    SandboxHttp http;

    @BeforeEach
    void resetSandbox() {
        http = new SandboxHttp(port);
        assertThat(http.reset().status()).isEqualTo(204);
    }

    JsonNode createCustomer(String body) {
        SandboxHttp.Answer created = http.api("POST", "/customers/create", SandboxHttp.SECRET, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("data");
    }
}
