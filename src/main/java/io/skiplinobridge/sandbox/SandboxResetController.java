package io.skiplinobridge.sandbox;

import java.util.List;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /sandbox/control/reset}: both sandboxes empty, as DESIGN.md §4.6 specifies. */
@RestController
@ConditionalOnSandbox
class SandboxResetController {

    private final List<SandboxResettable> sandboxes;

    SandboxResetController(List<SandboxResettable> sandboxes) {
        this.sandboxes = sandboxes;
    }

    @PostMapping("/sandbox/control/reset")
    ResponseEntity<Void> reset() {
        sandboxes.forEach(SandboxResettable::reset);
        return ResponseEntity.noContent().build();
    }
}
