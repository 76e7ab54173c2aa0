package io.skiplinobridge.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxWebhookSecretFileTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesASecretReadableByItsOwnerOnly() throws Exception {
        SandboxWebhookSecretFile file = new SandboxWebhookSecretFile(dataDir.resolve("not-yet-created"));

        SandboxWebhookSecretFile.Loaded loaded = file.loadOrCreate();

        assertThat(loaded.generated()).isTrue();
        assertThat(Files.readString(file.path()).strip()).isEqualTo(loaded.secret().encoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.path().getParent())) {
            assertThat(leftovers).containsExactly(file.path());
        }
    }

    @Test
    void keepsTheSameSecretAcrossRestarts() {
        String first = new SandboxWebhookSecretFile(dataDir).loadOrCreate().secret().encoded();

        SandboxWebhookSecretFile.Loaded again = new SandboxWebhookSecretFile(dataDir).loadOrCreate();

        assertThat(again.generated()).isFalse();
        assertThat(again.secret().encoded()).isEqualTo(first);
    }

    @Test
    void refusesADamagedFileNamingItButNotItsContent() throws Exception {
        Files.writeString(dataDir.resolve(SandboxWebhookSecretFile.FILE_NAME), "whsec_half-written");

        assertThatThrownBy(() -> new SandboxWebhookSecretFile(dataDir).loadOrCreate())
                .isInstanceOf(InvalidWebhookSecretException.class)
                .hasMessageContaining(dataDir.resolve("webhook-secret").toString())
                .hasMessageContaining("delete the file")
                .hasMessageNotContaining("half-written");
    }
}
