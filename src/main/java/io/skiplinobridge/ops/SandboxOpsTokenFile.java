package io.skiplinobridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The ops token of sandbox mode when the operator set none: generated on first start and kept in
 * {@code <bridge.data-dir>/ops-token}, readable by its owner only, so it survives restarts and a
 * dashboard session or a script can keep using it (the same approach as the sandbox webhook secret).
 */
final class SandboxOpsTokenFile {

    static final String FILE_NAME = "ops-token";

    private final Path file;

    SandboxOpsTokenFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    /** The kept token, generating and storing a new one if there is none yet (or the file is empty). */
    Loaded loadOrCreate() {
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!kept.isEmpty()) {
                    return new Loaded(kept, false);
                }
            }
            String token = OpsToken.generate();
            write(token);
            return new Loaded(token, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the sandbox ops token in " + file, e);
        }
    }

    /** Through a temporary file created owner-only, then moved in place: never readable by others, never half-written. */
    private void write(String token) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", ownerOnly);
        try {
            Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    record Loaded(String token, boolean generated) {

        @Override
        public String toString() {
            return "Loaded[token=<redacted>, generated=" + generated + "]";
        }
    }
}
