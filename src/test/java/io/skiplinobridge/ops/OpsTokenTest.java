package io.skiplinobridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Where the ops token comes from, how a presented one is checked, and that it never shows. */
@ExtendWith(OutputCaptureExtension.class)
class OpsTokenTest {

    private static final String TOKEN = "5f0c2b8e9a7d4e13b6c1f0a2d3e4b5c6";

    @TempDir
    Path dataDir;

    @Test
    void acceptsExactlyTheBearerToken() {
        OpsToken token = OpsToken.of(TOKEN);

        assertThat(token.accepts("Bearer " + TOKEN)).isTrue();
        assertThat(token.accepts("bearer " + TOKEN)).isTrue();
        assertThat(token.accepts("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.accepts("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(token.accepts("Bearer " + TOKEN.toUpperCase())).isFalse();
        assertThat(token.accepts(TOKEN)).isFalse();
        assertThat(token.accepts("Basic " + TOKEN)).isFalse();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts(null)).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    @Test
    void noTokenRefusesEverything() {
        OpsToken none = OpsToken.none();

        assertThat(none.configured()).isFalse();
        assertThat(none.accepts("Bearer ")).isFalse();
        assertThat(none.accepts("Bearer null")).isFalse();
    }

    @Test
    void aConfiguredTokenWinsAndNoFileIsWritten() {
        OpsToken token = OpsTokenConfiguration.resolve(TOKEN, true, dataDir);

        assertThat(token.accepts("Bearer " + TOKEN)).isTrue();
        assertThat(dataDir.resolve(SandboxOpsTokenFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void aShortConfiguredTokenStopsStartUpWithoutQuotingIt() {
        assertThatThrownBy(() -> OpsTokenConfiguration.resolve("tooShort-42", false, dataDir))
                .hasMessageContaining("BRIDGE_OPS_TOKEN is shorter than 16 characters")
                .hasMessageNotContaining("tooShort-42");
    }

    @Test
    void inSandboxModeAKeptOwnerOnlyTokenIsGeneratedAndOnlyItsPathIsLogged(CapturedOutput output) throws Exception {
        OpsToken first = OpsTokenConfiguration.resolve("", true, dataDir);
        Path file = dataDir.resolve(SandboxOpsTokenFile.FILE_NAME).toAbsolutePath();
        String generated = Files.readString(file).strip();

        assertThat(generated).hasSize(64).matches("[0-9a-f]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.accepts("Bearer " + generated)).isTrue();
        assertThat(output).contains("newly generated token in " + file).doesNotContain(generated);

        OpsToken second = OpsTokenConfiguration.resolve("", true, dataDir);
        assertThat(second.accepts("Bearer " + generated)).as("kept across restarts").isTrue();
        assertThat(output).contains("kept token in " + file);
    }

    @Test
    void outsideSandboxModeWithoutATokenEveryCallIsRefusedAndStartUpWarns(CapturedOutput output) {
        OpsToken token = OpsTokenConfiguration.resolve("", false, dataDir);

        assertThat(token.configured()).isFalse();
        assertThat(output).contains("WARN").contains("BRIDGE_OPS_TOKEN is not set: every call to the ops API");
        assertThat(dataDir.resolve(SandboxOpsTokenFile.FILE_NAME)).doesNotExist();
    }
}
