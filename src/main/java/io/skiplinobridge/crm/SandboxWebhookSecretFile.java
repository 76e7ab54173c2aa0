package io.skiplinobridge.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The webhook secret of sandbox mode when the operator set none: generated on first start and kept in
 * {@code <bridge.data-dir>/webhook-secret}, readable by its owner only, so that it survives restarts and
 * a demo CRM can keep signing with it.
 */
final class SandboxWebhookSecretFile {

    static final String FILE_NAME = "webhook-secret";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    SandboxWebhookSecretFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    /** The kept secret, generating and storing a new one if there is none yet. */
    Loaded loadOrCreate() {
        try {
            if (Files.exists(file)) {
                return new Loaded(read(), false);
            }
            WebhookSecret secret = WebhookSecret.generate();
            write(secret);
            return new Loaded(secret, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the sandbox webhook secret in " + file, e);
        }
    }

    private WebhookSecret read() throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return WebhookSecret.parse(text);
        } catch (InvalidWebhookSecretException e) {
            throw new InvalidWebhookSecretException("the sandbox webhook secret in " + file + " " + e.getMessage()
                    + " (delete the file to have a new one generated)");
        }
    }

    /**
     * Writes through a temporary file created owner-only, then moves it in place, so the secret is
     * never readable by others and never half-written.
     */
    private void write(WebhookSecret secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", ownerOnly());
        try {
            Files.writeString(temp, secret.encoded() + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    record Loaded(WebhookSecret secret, boolean generated) {
    }
}
